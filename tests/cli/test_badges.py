"""`tracker badges`: the cards on disk, and one-line errors with exit code 2."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader

from tests.cli.runner import tracker
from tests.unit.test_bulletin import page_texts, scanned_qr_codes
from tracker.services.badges import check_code, signature
from tracker.settings import Settings


def test_it_writes_a_mission_s_cards_four_to_a_sheet(demo_db: str, tmp_path: Path) -> None:
    output = tmp_path / "cards.pdf"

    result = tracker(demo_db, "badges", "majilis-2023", "--mission", "cis-ipa", "-o", str(output))

    assert result.returncode == 0, result.stderr
    count = int(result.stdout.split(": ")[1].split()[0])
    assert count > 4
    content = output.read_bytes()
    assert len(PdfReader(io.BytesIO(content)).pages) == -(-count // 4)
    first_sheet = scanned_qr_codes(content)[:4]
    printed = page_texts(content)[0]
    for link in first_sheet:
        query = parse_qs(urlsplit(link).query)
        assert query["sig"][0] == signature(Settings().secret_key, "majilis-2023", query["badge"][0])
        # Beside the code, the check code for whoever types the number in.
        assert check_code(Settings().secret_key, "majilis-2023", query["badge"][0]) in printed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "kk,en,ru"], "tracker: --lang: 'kk,en,ru' is not one or two of en, ru, kk"),
        (["--mission", "nobody"], "tracker: unknown mission 'nobody'"),
        (["--layout", "poster"], "tracker: Invalid value for '--layout': 'poster' is not one of 'sheet', 'single'."),
    ],
)
def test_bad_options_get_one_line_and_exit_code_2(demo_db: str, tmp_path: Path, args: list[str], message: str) -> None:
    output = tmp_path / "cards.pdf"

    result = tracker(demo_db, "badges", "majilis-2023", "-o", str(output), *args)

    assert result.returncode == 2
    assert message in result.stderr
    assert not output.exists()
