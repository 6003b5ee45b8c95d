"""The lexicons as data, tested the way dateparser tests its language data: every file loads, every
rule is well formed, its examples match and its counterexamples do not, and every derived gate is
sound (a sentence a pattern matches always passes the pattern's gate)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pytest

from crawlers.extract import context, lexicon, phrases
from crawlers.extract.lexicon import (
    LexiconError,
    Rule,
    compile_patterns,
    macros,
    present_literals,
    runnable,
    union_gate,
)
from crawlers.extract.lexicon.gates import LiteralIndex, required_literals, trie_pattern
from crawlers.extract.text import Sentence

LEXICONS = {name: lexicon.load(name) for name in lexicon.names()}
RULES = [(name, rule) for name, lex in LEXICONS.items() for rule in lex.rules]
MODIFIERS = context.context().modifiers
KNOWN_CATEGORIES = context.context().categories | {"PSEUDO"}


def _sentence(example: Any) -> Sentence:
    """An example is a sentence, or {section: heading, text: sentence} for a section-aware rule."""
    if isinstance(example, dict):
        return Sentence(example["text"], 0, False, section=example["section"])
    return Sentence(example, 0, False)


def _cases(kind: str) -> list[Any]:
    return [
        pytest.param(rule, ex, id=f"{name}.{rule.id}:{str(ex)[:40]}")
        for name, rule in RULES
        for ex in getattr(rule, kind)
    ]


@pytest.mark.parametrize(("rule", "example"), _cases("examples"))
def test_rule_matches_its_examples(rule: Rule, example: Any) -> None:
    assert phrases.match(rule, _sentence(example)) is not None


@pytest.mark.parametrize(("rule", "example"), _cases("counterexamples"))
def test_rule_ignores_its_counterexamples(rule: Rule, example: Any) -> None:
    assert phrases.match(rule, _sentence(example)) is None


@pytest.mark.parametrize(("name", "rule"), RULES, ids=[f"{n}.{r.id}" for n, r in RULES])
def test_rule_is_well_formed(name: str, rule: Rule) -> None:
    assert rule.examples, f"{name}.{rule.id} has no example"
    assert rule.counterexamples, f"{name}.{rule.id} has no counterexample"
    unknown = (rule.requires | rule.unless) - KNOWN_CATEGORIES
    assert not unknown, f"{name}.{rule.id} names unknown context categories {unknown}"


@pytest.mark.parametrize("mod", MODIFIERS, ids=[m.id for m in MODIFIERS])
def test_modifier_examples(mod: context.Modifier) -> None:
    for ex in mod.examples:
        assert context.scopes(ex).of(mod.category) or mod.category == "PSEUDO", ex
    for ex in mod.counterexamples:
        assert not context.scopes(ex).of(mod.category), ex


def test_asking_some_categories_answers_as_asking_all() -> None:
    """A rule asks only the categories it names; their answer is the whole answer restricted to them,
    for the text as a whole and for every word's span, with and without the words inside."""
    import re

    texts = [ex for m in MODIFIERS for ex in (*m.examples, *m.counterexamples)]
    texts += [_sentence(ex).text for _, r in RULES for ex in r.examples]
    every = context.context().categories
    for text in texts:
        context.scopes.cache_clear()
        assert {c for c in every if context.categories(text, among={c})} == context.categories(text), text
        for word in re.finditer(r"\S+", text):
            for inside in (False, True):
                whole = context.categories(text, word.start(), word.end(), inside)
                context.scopes.cache_clear()  # each category found on its own, as a rule finds it
                one_by_one = {c for c in every if context.categories(text, word.start(), word.end(), inside, {c})}
                assert one_by_one == whole, (text, word.group(), inside)


def test_pseudo_negation_masks_negation() -> None:
    assert "NEGATED" not in context.categories("Students stay no more than four weeks.")
    assert "NEGATED" in context.categories("Students may not stay four weeks.")


def test_scope_stops_at_a_terminator() -> None:
    text = "We do not charge a fee, but international students are accepted."
    start = text.index("accepted")
    assert "NEGATED" not in context.categories(text, start, start + 8)
    assert "NEGATED" in context.categories("We do not accept international students.", 10, 16)


def test_section_reaches_only_section_aware_rules() -> None:
    under = Sentence("We cannot accept applications from new visitors.", 0, False, section="International Applicants")
    alone = Sentence(under.text, 0, False)
    rule = lexicon.load("accepts_international").rule("denied_under_abroad_heading")
    assert phrases.match(rule, under) is not None
    assert phrases.match(rule, alone) is None


def test_a_changed_sentence_keeps_every_other_field() -> None:
    """`Sentence.changed` names each field itself (for speed): a field added later must be carried too."""
    assert [f.name for f in fields(Sentence)] == ["text", "line", "bullet", "in_training_section", "section"]
    first = Sentence("Apply by May.", 3, True, in_training_section=True, section="Dates")
    for other in (first.changed(), first.changed(text="Apply by June."), first.changed(section="Deadlines")):
        kept = {f.name: getattr(other, f.name) for f in fields(Sentence) if f.name not in ("text", "section")}
        assert kept == {f.name: getattr(first, f.name) for f in fields(Sentence) if f.name not in ("text", "section")}
    assert first.changed() == first
    assert first.changed(text="Apply by June.") == Sentence("Apply by June.", 3, True, True, "Dates")
    assert first.changed(section="Deadlines").section == "Deadlines" and first.changed().lower == "apply by may."


@pytest.mark.parametrize(
    ("pattern", "text"),
    [(p.pattern, ex if isinstance(ex, str) else ex["text"]) for _, r in RULES for p in r.patterns for ex in r.examples]
    + [(p.pattern, ex) for m in MODIFIERS for p in m.patterns for ex in m.examples],
)
def test_gate_is_sound(pattern: str, text: str) -> None:
    """Wherever a pattern matches, one of its derived literals is in the text: a gate never hides a match."""
    import re

    literals = required_literals(pattern)
    if literals is not None and re.search(pattern, text, re.I):
        assert any(lit in text.lower() for lit in literals), (pattern, literals)


@pytest.mark.parametrize(
    ("pattern", "gate"),
    [
        (r"\bB-?1\s*/\s*B-?2\b", {"1"}),  # a digit, not the letter b, which nearly every sentence has
        (r"\b\d{1,2}/\d{1,2}\b", {"/"}),
        (r"(?:US)?\$\d+", {"$"}),
        (r"\bfees?\b|\$\d+", {"fee", "$"}),
        (r"\bA\b-\d", {"-"}),
        (r"\bA\b\s\d", None),  # one letter: no gate worth having
        (r"\w \w", None),  # nor a lone space
    ],
)
def test_a_single_digit_or_sign_is_a_gate_a_letter_or_space_is_not(pattern: str, gate: set[str] | None) -> None:
    assert required_literals(pattern) == (frozenset(gate) if gate is not None else None)


def test_gates_are_derived_not_empty() -> None:
    """Most rules get a gate from their own patterns (a rule without one always runs)."""
    gated = sum(r.gate is not None for _, r in RULES)
    assert gated >= len(RULES) * 0.6, f"only {gated} of {len(RULES)} rules have a gate"


@pytest.mark.parametrize(
    ("text", "longest"),
    [
        ("visiting student", "visit"),  # "visiting" is no literal: the longest one that is
        ("visitors", "visitor"),
        ("visa letter", "visa"),
        ("vis-a-vis", None),  # the literals' shared prefix, not a literal itself
        ("fee ($50)", "fee ($"),  # regex characters are plain characters
        ("feel", "fee"),
        ("observe", None),
    ],
)
def test_trie_pattern_matches_the_longest_literal_at_a_position(text: str, longest: str | None) -> None:
    import re

    literals = frozenset({"visa", "visit", "visitor", "fee", "fee ($", "fees", "observer"})
    found = re.match(f"({trie_pattern(literals)})", text)
    assert (found.group(1) if found else None) == longest


def test_literal_index_finds_exactly_the_literals_in_a_sentence() -> None:
    """Over every lexicon example and counterexample: the literals the index reports are those that
    occur, none missed (a gate would hide a match) and none extra."""
    literals = frozenset(lexicon._LITERALS)
    index = LiteralIndex(literals)
    texts = [_sentence(ex).lower for _, r in RULES for ex in (*r.examples, *r.counterexamples)]
    texts += ["", "fee fees feel", "u.s.-trained", "b-1/b-2 by 3/1/31; $50"]
    for text in texts:
        assert index.present(text) == {lit for lit in literals if lit in text}, text


def test_only_patterns_whose_own_gate_passes_run() -> None:
    """A rule's gate passing says one of its patterns might match; each pattern is still skipped
    when its own literals are absent, in order, and a pattern without a gate always runs."""
    patterns, gates = compile_patterns([r"\bvisas?\b", r"tuition (?:fee|charge)", r"\b\d{4}\b"], "test")
    assert gates[2] is None and union_gate(gates) is None and union_gate(gates[:2]) == frozenset({"visa", "tuition "})
    sentence = "A visa letter is issued for 2027."
    run = list(runnable(patterns, gates, present_literals(sentence.lower())))
    assert run == [patterns[0], patterns[2]]
    assert [p for p in patterns if p.search(sentence)] == run  # the skipped one could not have matched


def test_macros_expand_and_compile() -> None:
    import re

    for name, body in macros().items():
        assert "{" + name + "}" not in body
        re.compile(body, re.I)


def test_bad_lexicon_names_the_file_and_rule(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "macros.yaml").write_text("ABROAD: [abroad]\n")
    (tmp_path / "broken.yaml").write_text("rules:\n  - id: one\n    value: x\n    patterns: ['{NOPE} here']\n")
    (tmp_path / "colon.yaml").write_text("rules:\n  - id: two\n    value: x\n    patterns:\n      - a: b\n")
    (tmp_path / "notyaml.yaml").write_text("rules: [unclosed\n")
    monkeypatch.setattr(lexicon, "HERE", tmp_path)
    lexicon.load.cache_clear()
    macros.cache_clear()
    try:
        with pytest.raises(LexiconError, match=r"broken\.yaml: rule one: unknown macro \{NOPE\}"):
            lexicon.load("broken")
        with pytest.raises(LexiconError, match=r"colon\.yaml: rule two: pattern .* is not a string"):
            lexicon.load("colon")
        with pytest.raises(LexiconError, match=r"notyaml\.yaml:\d+: not valid YAML"):
            lexicon.load("notyaml")
    finally:
        lexicon.load.cache_clear()
        macros.cache_clear()
