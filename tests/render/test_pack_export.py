"""The induction pack as files: HTML parsed back, PDF read back with pdftotext; privacy holds in both."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from html.parser import HTMLParser

import pytest

from companion.core import induction
from companion.core.pack import ORG_CHART_IMAGE
from companion.render.pack import pack_html, write_pack_pdf
from tests.core.test_pack import HANDLING, PERSONALITY, PRIVATE, SAFE, SECURITY, TEAM, seed_pack_client
from tests.render.test_brief_pdf import pdf_info


class _Reader(HTMLParser):
    """Text by section id, image sources, links."""

    def __init__(self):
        super().__init__()
        self.section = "head"
        self.text: dict[str, list[str]] = {}
        self.images: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.section = attrs.get("id", "?")
        elif tag == "img":
            self.images.append(attrs.get("src", ""))
        elif tag == "a" and attrs.get("href", "").startswith("#"):
            self.links.append(attrs["href"][1:])

    def handle_data(self, data):
        self.text.setdefault(self.section, []).append(data)

    def all_text(self) -> str:
        return " ".join(" ".join(parts) for parts in self.text.values())


def _pdf_pages(path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        " ".join(unicodedata.normalize("NFKC", page).split()) for page in text.split("\f") if page.strip()
    ]


@pytest.fixture
def state(workspace):
    client = seed_pack_client(workspace)
    other = workspace.create(kind="contact", values={"name": "Per Lunde"}).created_id
    boss = workspace.list(kind="position")[0]
    workspace.create(
        kind="position",
        values={"contact_id": other, "client_id": client, "title": "CTO", "reports_to_id": boss.id},
    )
    return induction.current(workspace, client_id=client)


def _images(qapp, workspace, client_id, candid=False):
    from companion.core.people import people_at
    from companion.ui.people.org_picture import pack_images

    return pack_images(people_at(workspace, client_id=client_id), candid=candid)


def test_the_org_chart_of_a_plain_pack_shows_no_stance_or_influence(workspace, state):
    from companion.core.people import people_at
    from companion.ui.people.org_picture import without_candid

    people = people_at(workspace, client_id=state.pack.client_id)
    assert any(p.position["stance"] for p in people)
    plain = without_candid(people)
    assert [p.name for p in plain] == [p.name for p in people]
    assert not any(p.position["stance"] or p.position["influence"] for p in plain)
    assert [p.position["title"] for p in plain] == [p.position["title"] for p in people]


def test_html_is_self_contained_and_keeps_private_out(qapp, workspace, state):
    images = _images(qapp, workspace, state.pack.client_id)
    assert ORG_CHART_IMAGE in images
    page = pack_html(state.pack, version=int(state.version["number"]), images=images)
    reader = _Reader()
    reader.feed(page)
    text = reader.all_text()
    assert PRIVATE not in page
    assert TEAM in " ".join(reader.text["notes"]) and SAFE in " ".join(reader.text["notes"])
    assert PERSONALITY not in page and HANDLING not in page
    sites = " ".join(reader.text["sites"])
    assert sites.index("Confidential — Halvorsen Offshore") < sites.index(SECURITY)
    assert reader.links == [s.key for s in state.pack.sections]  # the contents link every section
    assert len(reader.images) == 1 and reader.images[0].startswith("data:image/png;base64,")
    assert "Version 1" in text and state.pack.content_hash in text


@pytest.mark.parametrize("candid", [False, True])
def test_pdf_has_contents_headers_page_numbers_and_keeps_private_out(
    qapp, workspace, state, tmp_path, candid
):
    if candid:
        workspace.update(kind="client", id=state.pack.client_id, values={"pack_candid": True})
        state = induction.current(workspace, client_id=state.pack.client_id)
    images = _images(qapp, workspace, state.pack.client_id, candid)
    path = write_pack_pdf(
        state.pack, tmp_path / "pack.pdf", version=int(state.version["number"]), images=images
    )
    pages = _pdf_pages(path)
    assert int(pdf_info(path)["Pages"]) == len(pages) >= len(state.pack.sections)
    for number, page in enumerate(pages, start=1):
        assert page.startswith("Confidential — Halvorsen Offshore"), number
        assert page.endswith(f"Page {number} of {len(pages)}"), number
    whole = " ".join(pages)
    assert PRIVATE not in whole
    assert TEAM in whole and SAFE in whole and SECURITY in whole
    assert (PERSONALITY in whole) is candid and (HANDLING in whole) is candid
    # The contents give each section's page; the section's heading is on that page.
    for section in state.pack.sections:
        found = re.search(rf"{re.escape(section.title)} (\d+)", pages[0])
        assert found, section.title
        assert section.title in pages[int(found.group(1)) - 1]
    sites_page = next(p for p in pages[1:] if "Dress code and security" in p)
    assert sites_page.index("CONFIDENTIAL") < sites_page.index(SECURITY)


def test_links_another_person_wrote_cannot_run_or_open_files(qapp, workspace, state, tmp_path):
    """Synced Markdown is someone else's text: the HTML keeps web and mail links and drops the rest."""
    client_id = state.pack.client_id
    workspace.update(
        kind="client",
        id=client_id,
        values={
            "history": "Read [the site](https://halvorsen.example) or [mail](mailto:ir@halvorsen.example). "
            "[Click](javascript:alert(1)) [me](JaVaScRiPt:alert(2)) [file](file:///etc/passwd) "
            '<a href="javascript:alert(3)">raw</a> ![x](javascript:alert(4)) ![y](/etc/hosts.png)'
        },
    )
    state = induction.current(workspace, client_id=client_id)
    page = pack_html(state.pack, version=int(state.version["number"]), images={})
    assert "javascript" not in page.lower() and "file:" not in page and "/etc/" not in page
    assert 'href="https://halvorsen.example"' in page and 'href="mailto:ir@halvorsen.example"' in page
    assert "Click" in page and "raw" in page  # the words stay, as plain text
    path = write_pack_pdf(state.pack, tmp_path / "pack.pdf", version=1, images={})
    assert "Click" in " ".join(_pdf_pages(path))
