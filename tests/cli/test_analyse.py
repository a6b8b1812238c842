"""The analysis commands through click's runner, on the reference graph alone: projections
stated, undefined values as n/a (reason), empty results explained, bad input refused in one
line. Expected values: the reference graph's facts (see tests/service/test_shapes.py)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from partnernet.cli.main import cli


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    runner = CliRunner()
    uri = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'ref.db'}"
    assert runner.invoke(cli, ["--store", uri, "load", "--format", "reference"]).exit_code == 0

    def invoke(*args, code=0):
        result = runner.invoke(cli, ["--store", uri, *args])
        assert result.exit_code == code, result.output
        assert "Traceback" not in result.output
        return result.output
    return invoke


def test_brokers_state_the_projection_and_undefined_values(run):
    out = run("analyse", "brokers", "--top", "5")
    assert out.startswith("projection: co-membership (default for this store: partnerships "
                          "tie 5 actors")
    assert "Maringá" in out and "n/a (no ties)" in out
    assert "brokerage: n/a (Gould-Fernandez roles count open two-paths" in out
    assert "Maringá connects: Assistance to Women Reference Center -> UN Global Compact" in out


def test_other_projections(run):
    assert "projection: all (asked for)" in run("analyse", "brokers", "--projection", "all")
    two = run("analyse", "brokers", "--projection", "two-mode", "--format", "json")
    assert json.loads(two)["projection"]["name"] == "two-mode"
    com = run("analyse", "communities")
    assert "communities, modularity" in com and "projection: co-membership" in com


def test_empty_results_say_what_would_fill_them(run):
    out = run("analyse", "brokers", "--projection", "partnerships", "--since", "2020")
    assert "no brokers: no partnerships" in out and "try: drop or widen --since" in out
    assert "(no rows)" not in out


def test_south_south_prints_p_and_shares(run):
    out = run("analyse", "south-south", "--permutations", "99")
    assert "nan" not in out and "p = 0\n" not in out
    assert "E-I index South/North: " in out and ", p " in out
    assert "groups by bloc of their members" in out


@pytest.mark.parametrize("args, message", [
    (("analyse", "brokers", "--projection", "comembership"), "did you mean 'co-membership'"),
    (("analyse", "brokers", "--region", "Afrika"), "did you mean 'Africa'"),
    (("analyse", "brokers", "--group-by", "nonsense"), "accepted: region, subregion"),
    (("analyse", "brokers", "--since", "20x"), "is not a date"),
    (("analyse", "communities", "--group-label", "netwrk"), "did you mean 'Network'"),
    (("analyse", "south-south", "--definition", "g7"), "did you mean 'g77'"),
    # the walk: a misspelt kind was an empty answer with exit 0, which a script takes
    # for success; kinds are the schema's closed set
    (("analyse", "brokers", "--kind", "twining"),
     "unknown partnership kind 'twining' (did you mean 'twinning'?); accepted: twinning"),
    (("analyse", "communities", "--kind", "twining"), "did you mean 'twinning'"),
    (("analyse", "focal-units", "--today", "2025-13-01"),
     "'2025-13-01' is not a date: there is no month 13"),
    (("analyse", "recognitions", "--today", "yesterday"), "is not a date"),
])
def test_bad_values_are_refused_in_one_line(run, args, message):
    out = run(*args, code=2)
    assert message in out
    assert sum(1 for line in out.splitlines() if line.startswith("Error:")) == 1


def test_a_kind_the_store_does_not_hold_says_which_kinds_there_are(run):
    out = run("analyse", "brokers", "--projection", "partnerships", "--kind", "mou")
    assert "no brokers: no partnership of kind 'mou' in the store (kinds it holds: " \
           "cooperation (" in out


def test_match_flags_needs_and_weights(run):
    out = run("match", "--for", "Maringá", "--sdg", "11", "--south-south", "--top", "5")
    assert out.startswith("partners for Maringá (needs: sdg:11, a Southern partner")
    assert "weights: defaults" in out
    bad = run("match", "--for", "Maringaa", code=1)
    assert "did you mean Maringá" in bad
