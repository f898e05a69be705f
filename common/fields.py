"""Decimal columns and form fields the Indonesian way, for every model and every admin form.

- :class:`ValueField` (model): a ``DecimalField`` that refuses, at the field, any value it
  cannot store exactly on SQLite and PostgreSQL alike (``common.numbers.bounds_problem``),
  and that is edited through :class:`IndonesianDecimalField`.
- :class:`IndonesianDecimalField` (form): a text input, never a browser number input (which
  drops the comma of "2,30" under an Indonesian locale and saves 230); parsed by
  ``common.numbers``; shown as "2,34", not "2.340000".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

from .numbers import (
    NumberParseError,
    Rate,
    bounds_problem,
    format_exact,
    parse_measure,
    parse_optional_decimal,
)


@deconstructible
class BoundsValidator:
    """Refuse a value the column cannot hold exactly, naming the field."""

    def __init__(self, max_digits: int, decimal_places: int, label: str = "") -> None:
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        self.label = label

    def __call__(self, value: Decimal | None) -> None:
        if value is None:
            return
        problem = bounds_problem(
            value, max_digits=self.max_digits, decimal_places=self.decimal_places
        )
        if problem is not None:
            prefix = f"{self.label[:1].upper()}{self.label[1:]}: " if self.label else ""
            raise ValidationError(f"{prefix}{problem}.", code="bounds")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BoundsValidator) and (
            self.max_digits,
            self.decimal_places,
            self.label,
        ) == (other.max_digits, other.decimal_places, other.label)

    def __hash__(self) -> int:
        return hash((self.max_digits, self.decimal_places, self.label))


class IndonesianDecimalField(forms.CharField):
    """A text input that accepts "74,04", "1.234,5", "5,50 %", "-70%"; blank means empty."""

    def __init__(
        self,
        *,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        max_value: Any = None,
        min_value: Any = None,
        step_size: Any = None,
        **kwargs: Any,
    ) -> None:
        # max_value/min_value/step_size come from DecimalField.formfield(); the model's
        # validators (run by full_clean) carry the real bounds.
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        # No max_length: its validator would run on the parsed Decimal, not the text.
        self.widget.attrs.setdefault("maxlength", "40")
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")
        self.widget.attrs.setdefault("class", "angka")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, Decimal):
            return value
        text = super().to_python(value)
        try:
            number = parse_optional_decimal(text)
        except NumberParseError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc
        if number is not None and self.max_digits is not None and self.decimal_places is not None:
            problem = bounds_problem(
                number, max_digits=self.max_digits, decimal_places=self.decimal_places
            )
            if problem is not None:
                raise forms.ValidationError(f"Nilai {problem}.", code="bounds")
        return number

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return format_exact(value)
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != (
                initial
                if isinstance(initial, Decimal) or initial is None
                else self.to_python(initial)
            )
        except forms.ValidationError:
            return True


class MeasureField(IndonesianDecimalField):
    """As :class:`IndonesianDecimalField`, and a rate typed with its denominator ("75/100.000",
    "104,7/100.000 KH", "12 per 1.000") is read by the same parser
    (``common.numbers.parse_measure``) into a :class:`~common.numbers.Rate`: the service checks
    its denominator against the indicator's satuan."""

    def to_python(self, value: Any) -> Decimal | Rate | None:  # type: ignore[override]
        if isinstance(value, Decimal | Rate):
            return value
        text = forms.CharField.to_python(self, value) or ""
        if not text.strip():
            return None
        try:
            measure = parse_measure(text)
        except NumberParseError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc
        number = measure.value if isinstance(measure, Rate) else measure
        if self.max_digits is not None and self.decimal_places is not None:
            problem = bounds_problem(
                number, max_digits=self.max_digits, decimal_places=self.decimal_places
            )
            if problem is not None:
                raise forms.ValidationError(f"Nilai {problem}.", code="bounds")
        return measure


class ValueField(models.DecimalField):
    """A decimal column whose every value round-trips exactly, typed the Indonesian way."""

    @cached_property
    def validators(self) -> list[Any]:
        return [
            *super().validators,
            BoundsValidator(self.max_digits, self.decimal_places, str(self.verbose_name or "")),
        ]

    def formfield(
        self, form_class: Any = None, choices_form_class: Any = None, **kwargs: Any
    ) -> Any:
        return super().formfield(
            form_class=form_class or IndonesianDecimalField,
            choices_form_class=choices_form_class,
            **kwargs,
        )
