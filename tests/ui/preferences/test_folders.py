"""File dialogs start in the Documents folder the system names, or the home folder when there is none."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths

from companion.ui.preferences import folders


def test_the_documents_folder_when_it_exists(tmp_path, monkeypatch):
    documents = tmp_path / "Dokumenter"
    documents.mkdir()
    monkeypatch.setattr(QStandardPaths, "writableLocation", staticmethod(lambda _where: str(documents)))
    assert folders.documents_dir() == documents
    assert folders.in_documents("brief.pdf") == str(documents / "brief.pdf")


def test_the_home_folder_when_there_is_no_documents_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(
        QStandardPaths, "writableLocation", staticmethod(lambda _where: str(tmp_path / "missing"))
    )
    assert folders.documents_dir() == Path.home()
    monkeypatch.setattr(QStandardPaths, "writableLocation", staticmethod(lambda _where: ""))
    assert folders.documents_dir() == Path.home()
