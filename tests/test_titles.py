"""Works named by their file (the Irish tunes, the chord-melody lead sheets) are shown by their
title as a reader writes it (`corpus.titles`), in `check` and in a take's attribution."""

from __future__ import annotations

import pytest

from tunesmith.corpus.titles import irish_title, readable_title
from tunesmith.rights.matches import Match


@pytest.mark.parametrize(("stem", "title"), [
    ("ManfromDungannonreelThe", "The Man from Dungannon (reel)"),
    ("LassofBallintra2reelThe", "The Lass of Ballintra No. 2 (reel)"),
    ("UpstairswithYouslide", "Upstairs with You (slide)"),
    ("HighPartoftheRoadThe", "The High Part of the Road"),
    ("MouseintheCupboardThe", "The Mouse in the Cupboard"),
    ("GlenCottage2polka", "Glen Cottage No. 2 (polka)"),
    ("BreensHornpipe", "Breens Hornpipe"),
    ("Dublinreel", "Dublin (reel)"),  # ("in" is split off only before "the")
    ("ATripToGalway", "A Trip To Galway"),
])  # fmt: skip
def test_an_irish_file_name_reads_as_its_title(stem, title):
    assert irish_title(stem) == title


def test_readable_titles_by_source():
    assert readable_title("c", "chord-melody:a_smooth_one/c.xml", "chord-melody") == "A Smooth One"
    assert readable_title("AftertheHarereel", "irish:MIDI/AftertheHarereel.mid", "irish") == "After the Hare (reel)"
    assert readable_title("Honeysuckle Rose", "openewld:x.mxl", "openewld") == "Honeysuckle Rose"
    assert readable_title("A tune already spaced", None, "irish") == "A tune already spaced"
    work = {"work_id": "irish:MIDI/PeterStreetreel.mid", "title": "PeterStreetreel", "source": "irish"}
    assert Match(doc=0, work=work, score=20.0).to_dict()["title"] == "Peter Street (reel)"
