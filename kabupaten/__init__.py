"""The kabupaten (Pemda-wide) features: the dashboard, pohon kinerja, LKjIP Pemda, review notes."""
