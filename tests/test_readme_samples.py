"""The README's sample outputs of check, compare and staff are what the commands print:
each line shown (up to a '...') is a line of the real output, in order."""

from __future__ import annotations

import shutil
import subprocess

from conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def sample(first_line_start: str) -> list[str]:
    """The lines of the README's code block whose first line starts so, without '...' lines."""
    block, inside = [], False
    for line in README.splitlines():
        if line.lstrip().startswith("```"):
            if inside and block and block[0].startswith(first_line_start):
                return [shown for shown in block if shown.strip() != "..."]
            block, inside = [], not inside
        elif inside:
            block.append(line)
    raise AssertionError(f"no sample starting {first_line_start!r} in the README")


def assert_shown_in_order(shown: list[str], printed: str) -> None:
    lines = printed.splitlines()
    at = 0
    for line in shown:
        assert line in lines[at:], f"README line not printed (in this order): {line!r}\n{printed}"
        at = lines.index(line, at) + 1


def test_the_staff_sample_is_what_staff_prints():
    result = run_cli("staff", "menus/bank.yaml", "--target", "service_level>=0.8", "--target", "p_abandon<=0.05",
                     cwd=ROOT)
    assert result.code == 0, result.err
    assert_shown_in_order(sample("northbank-retail: fewest agents"), result.out)


def test_the_compare_sample_is_what_compare_prints(tmp_path):
    """The sample compares bank.yaml with 10 general agents against origin/main's 12."""
    (tmp_path / "menus").mkdir()
    shutil.copy(ROOT / "menus" / "bank.yaml", tmp_path / "menus" / "bank.yaml")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for command in (["init", "-q"], ["add", "menus"], ["commit", "-qm", "base"],
                    ["update-ref", "refs/remotes/origin/main", "HEAD"]):
        subprocess.run(git + command, cwd=tmp_path, check=True, capture_output=True)
    menu = tmp_path / "menus" / "bank.yaml"
    text = menu.read_text(encoding="utf-8")
    assert "general: {agents: 12," in text
    menu.write_text(text.replace("general: {agents: 12,", "general: {agents: 10,"), encoding="utf-8")
    result = run_cli("compare", "--git", "origin/main", "menus/bank.yaml", "--fail-on-regression", cwd=tmp_path)
    assert result.code == 1, result.err
    assert_shown_in_order(sample("menus/bank.yaml@origin/main -> menus/bank.yaml"), result.out)


def test_the_check_sample_is_what_check_prints():
    shown = sample("$ ivrlint check --no-config menus/bad/dead-end.yaml")
    args = shown[0].split()[2:]
    result = run_cli(*args, cwd=ROOT)
    assert result.code == 1, result.err
    assert_shown_in_order(shown[1:], result.out)


def test_the_python_sample_runs(monkeypatch, capsys):
    """The README's "From Python" block, run as a user would paste it, from the repository's root."""
    blocks = README.split("```python\n")[1:]
    assert blocks, "no ```python block in the README"
    monkeypatch.chdir(ROOT)
    exec(compile(blocks[0].split("```")[0], "README.md", "exec"), {})  # the README's own code
    p_goal, exact = (float(x) for x in capsys.readouterr().out.split())
    assert 0 < p_goal <= 1 and 0 < exact <= 1
