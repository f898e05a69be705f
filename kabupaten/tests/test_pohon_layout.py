"""The print layout of the pohon kinerja: pure Python, no database."""

from defusedxml import ElementTree

from kabupaten.pohon_layout import BOX_WIDTH, COLUMN_GAP, Box, layout, render_svg


def leaf(name: str, lines: tuple[str, ...] = ()) -> Box:
    return Box(label="Sub-kegiatan", heading=name, lines=lines)


def sample() -> list[Box]:
    kegiatan = Box("Kegiatan", "Kegiatan A", children=(leaf("Sub A1"), leaf("Sub A2", ("x",) * 6)))
    program = Box("Program", "Program P", children=(kegiatan, Box("Kegiatan", "Kegiatan B")))
    sasaran = Box("Sasaran OPD", "Sasaran S", capaian="Capaian 90,00 %", kategori="Tinggi")
    return [
        Box(
            "Sasaran RPJMD",
            "Sasaran R",
            children=(Box("Sasaran OPD", "Sasaran T", children=(program,)), sasaran),
        )
    ]


def test_each_level_is_a_column_left_to_right():
    tree = layout(sample())
    by_name = {b.box.heading: b for b in tree.boxes}
    assert by_name["Sasaran R"].x < by_name["Sasaran T"].x < by_name["Program P"].x
    assert by_name["Sub A1"].x - by_name["Kegiatan A"].x == BOX_WIDTH + COLUMN_GAP
    assert {b.depth for b in tree.boxes} == {0, 1, 2, 3, 4}
    assert tree.width == 2 * 24 + 5 * BOX_WIDTH + 4 * COLUMN_GAP


def test_no_two_boxes_overlap_and_the_page_holds_them_all():
    tree = layout(sample())
    for a in tree.boxes:
        assert a.y >= 0 and a.y + a.height <= tree.height
        for b in tree.boxes:
            if a is not b and a.x == b.x:
                assert a.y + a.height <= b.y or b.y + b.height <= a.y, (a.box, b.box)


def test_a_parent_is_centred_on_its_children_and_a_line_joins_each_child():
    tree = layout(sample())
    kegiatan = next(b for b in tree.boxes if b.box.heading == "Kegiatan A")
    first, last = kegiatan.children
    assert kegiatan.y + kegiatan.height / 2 == (first.y + last.y + last.height) / 2
    # Every box but the root has exactly one line ending at its left edge's middle.
    ends = sorted((x2, y2) for _x1, _y1, _xm, x2, y2 in tree.edges)
    expected = sorted((b.x, b.y + b.height / 2) for b in tree.boxes if b.depth > 0)
    assert ends == expected


def test_a_parent_taller_than_its_children_pushes_them_down_not_itself_up():
    tall = Box("Program", "P", lines=("baris",) * 12, children=(leaf("S"),))
    tree = layout([tall, Box("Program", "Q")])
    parent, child, after = tree.boxes
    assert child.y > parent.y
    assert after.y >= parent.y + parent.height


def test_the_svg_is_valid_and_carries_every_box_text_escaped():
    boxes = [Box("Sasaran RPJMD", "Jalan & jembatan <desa>", lines=("target 5 %",))]
    svg = render_svg(layout(boxes), "Pohon Kinerja Contoh 2024", "dicetak")
    root = ElementTree.fromstring(svg.encode())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Jalan & jembatan <desa>" in texts
    assert "target 5 %" in texts and "SASARAN RPJMD" in texts
    assert "Pohon Kinerja Contoh 2024" in texts


def test_the_capaian_band_takes_the_kategori_colour():
    svg = render_svg(layout(sample()), "t")
    assert 'fill="#2e7d32"' in svg  # Tinggi, as .kategori-tinggi in kinerja.css
