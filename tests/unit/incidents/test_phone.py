"""The reporter's phone: split from old combined reporter fields only where the value
clearly ends in a phone number, and masked for people who may not see personal data."""

from __future__ import annotations

import pytest

from centre_app.incidents.phone import mask_phone, split_reporter


@pytest.mark.parametrize(
    ("combined", "name", "phone"),
    [
        ("王晓燕 13857712345", "王晓燕", "13857712345"),
        ("王晓燕13857712345", "王晓燕13857712345", ""),  # no separator: not clearly a phone
        ("张三，0577-64281234", "张三", "0577-64281234"),
        ("李四 +86 138 5771 2345", "李四", "13857712345"),
        ("网格员李明", "网格员李明", ""),
        ("110 报警", "110 报警", ""),
        ("群众 12345", "群众 12345", ""),  # a service number is not the reporter's phone
        ("王某 1385771", "王某 1385771", ""),  # too short to be a phone
        ("13857712345", "13857712345", ""),  # nothing left for a name
    ],
)
def test_only_values_that_clearly_end_in_a_phone_are_split(
    combined: str, name: str, phone: str
) -> None:
    assert split_reporter(combined) == (name, phone)


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13857712345", "138****2345"),
        ("0577-64281234", "0577-****1234"),
        ("0577-64281234-802", "0577-****1234"),
        ("12345", "12345"),
        ("", ""),
    ],
)
def test_masked_phones_keep_only_the_prefix_and_last_four_digits(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked
