from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from journal.models import JournalSettings, Weekday
from weekly.models import ITEM_MAX_LENGTH, Item, ItemKind, ReadingKind, ReadingNote, Review, Week
from weekly.report_format import (
    ParsedItem,
    ReportFormatError,
    dates_in,
    import_report,
    parse_weekly_report,
    week_to_markdown,
)

FIXTURES = Path(__file__).parent / "fixtures"
MONDAY = date(2021, 1, 18)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def parse_fixture(name: str):
    return parse_weekly_report(fixture(name), filename=name)


def shape(items: list[ParsedItem]) -> list:
    """(kind, text, children) of a parsed tree, for comparing whole trees at once."""
    return [(item.kind, item.text, shape(item.children)) for item in items]


def make_week(owner, start: date = MONDAY, **fields) -> Week:
    fields.setdefault("title", "Weekly Report 2021/01/18-01/24")
    return Week.objects.create(user=owner, start_date=start, end_date=start, **fields)


def add(week: Week, text: str, kind: str = ItemKind.KEEP, parent=None, position=1) -> Item:
    return Item.objects.create(
        user=week.user, week=week, kind=kind, text=text, parent=parent, position=position
    )


def note(week: Week, title: str, position: int, **fields) -> ReadingNote:
    return ReadingNote.objects.create(
        user=week.user, week=week, title=title, position=position, **fields
    )


EXPECTED_EXPORT = """\
# Weekly Report 2021/01/18-01/24
寒い一週間だった。
**「継続」**を意識した。
## 振り返り
### Keep
- 毎朝30分の読書を続けた
  - 通勤電車で読む習慣がついた
    - スマホを鞄にしまっておく
- ★★★の難易度の曲を弾けた
### Problem & Try
Try は ★
- 夜更かしが続いた
  - 23時に布団に入る ★
- 練習曲の評価が\\★
- 週末にまとめて復習する ★
## 気になったこと
### 注意の仕組みだけで翻訳する
[注意の仕組みだけで翻訳する](https://arxiv.org/abs/1706.03762)
自己注意だけで系列変換を組み立てた論文。
#### 感想
図が分かりやすい。
### 習慣の科学
- 小さく始める
#### 感想
- 読書の習慣にも使えそう
### 静かな朝の作り方
[静かな朝の作り方](https://example.com/morning)
通知を切るだけで集中が続く、という記事。
"""


@pytest.fixture
def week(user):
    week = make_week(user, summary="寒い一週間だった。\n**「継続」**を意識した。\n")
    reading = add(week, "毎朝30分の読書を続けた")
    train = add(week, "通勤電車で読む習慣がついた", parent=reading)
    add(week, "スマホを鞄にしまっておく", parent=train)
    add(week, "★★★の難易度の曲を弾けた", position=2)
    late = add(week, "夜更かしが続いた", ItemKind.PROBLEM)
    add(week, "23時に布団に入る", ItemKind.TRY, parent=late)
    add(week, "練習曲の評価が★", ItemKind.PROBLEM, position=2)
    add(week, "週末にまとめて復習する", ItemKind.TRY, position=3)
    add(week, "消した項目", position=3).delete_softly()
    note(
        week,
        "注意の仕組みだけで翻訳する",
        1,
        url="https://arxiv.org/abs/1706.03762",
        notes="自己注意だけで系列変換を組み立てた論文。",
        impressions="図が分かりやすい。",
    )
    note(week, "習慣の科学", 2, notes="- 小さく始める", impressions="- 読書の習慣にも使えそう")
    note(
        week,
        "静かな朝の作り方",
        3,
        url="https://example.com/morning",
        notes="通知を切るだけで集中が続く、という記事。",
    )
    note(week, "消したメモ", 4, deleted_at=timezone.now())
    return week


# Export


def test_it_exports_a_week_in_the_report_shape(week):
    assert week_to_markdown(week) == EXPECTED_EXPORT


def test_it_escapes_a_problems_own_star_so_it_stays_a_problem(week):
    assert "- 練習曲の評価が\\★\n" in week_to_markdown(week)


def test_it_writes_every_heading_of_an_empty_week(user):
    empty = make_week(user, title="空の週")

    assert week_to_markdown(empty) == (
        "# 空の週\n## 振り返り\n### Keep\n### Problem & Try\nTry は ★\n## 気になったこと\n"
    )


def test_it_writes_a_week_not_stored_yet_as_an_empty_report(user):
    unsaved = Week(user=user, start_date=MONDAY, end_date=date(2021, 1, 24))

    assert week_to_markdown(unsaved).startswith("# Weekly Report 2021/01/18-01/24\n## 振り返り\n")


def test_it_writes_items_on_one_line(user):
    week = make_week(user)
    add(week, "一行目\n二行目")

    assert "- 一行目 二行目\n" in week_to_markdown(week)


def test_it_escapes_summary_lines_that_would_read_as_sections(user):
    week = make_week(user, summary="前書き\n## 振り返り\n### 小見出し")

    assert "前書き\n\\## 振り返り\n### 小見出し\n## 振り返り\n" in week_to_markdown(week)


def test_it_separates_a_link_in_notes_from_the_notes_link_line(user):
    week = make_week(user)
    note(week, "リンクだけのメモ", 1, notes="[別の記事](https://example.com/other)\n続き")

    assert "### リンクだけのメモ\n\n[別の記事](https://example.com/other)\n" in week_to_markdown(
        week
    )


# Parsing: the canonical shape


def test_it_reads_back_the_exported_shape(week):
    parsed = parse_weekly_report(EXPECTED_EXPORT)

    assert parsed.title == "Weekly Report 2021/01/18-01/24"
    assert (parsed.start_date, parsed.end_date) == (MONDAY, date(2021, 1, 24))
    assert parsed.summary == "寒い一週間だった。\n**「継続」**を意識した。"
    assert shape(parsed.keep) == [
        (
            "keep",
            "毎朝30分の読書を続けた",
            [("keep", "通勤電車で読む習慣がついた", [("keep", "スマホを鞄にしまっておく", [])])],
        ),
        ("keep", "★★★の難易度の曲を弾けた", []),
    ]
    assert shape(parsed.problem_try) == [
        ("problem", "夜更かしが続いた", [("try", "23時に布団に入る", [])]),
        ("problem", "練習曲の評価が★", []),
        ("try", "週末にまとめて復習する", []),
    ]
    titles = [(n.title, n.url, n.kind) for n in parsed.reading_notes]
    assert titles == [
        ("注意の仕組みだけで翻訳する", "https://arxiv.org/abs/1706.03762", ReadingKind.PAPER),
        ("習慣の科学", "", ReadingKind.OTHER),
        ("静かな朝の作り方", "https://example.com/morning", ReadingKind.ARTICLE),
    ]
    assert parsed.reading_notes[1].notes == "- 小さく始める"
    assert parsed.reading_notes[1].impressions == "- 読書の習慣にも使えそう"
    assert parsed.reading_notes[2].impressions == ""


# Parsing: the variants real posts use


def test_it_reads_the_plain_text_of_a_published_post():
    parsed = parse_fixture("plain_published.txt")

    assert parsed.title == "Weekly Report 2022/03/07-03/13"
    assert (parsed.start_date, parsed.end_date) == (date(2022, 3, 7), date(2022, 3, 13))
    assert parsed.summary == "花粉の季節が始まった一週間。"  # no "Table of Contents"
    assert [item.text for item in parsed.keep][:2] == [
        "中国語の音読を毎朝続けられた",
        "声調の聞き分けが少し楽になった",
    ]
    assert all(not item.children for item in parsed.keep + parsed.problem_try)  # flat
    assert shape(parsed.problem_try) == [
        ("problem", "単語の暗記が追いつかない(先週から変わらず)", []),
        ("problem", "復習の間隔が空くと忘れてしまう", []),
        ("try", "寝る前に5分だけ単語カードをめくる", []),
        ("problem", "レビューで★3をもらった記事の書き方が分からない", []),
    ]


def test_it_finds_the_reading_notes_of_a_published_post():
    culture, habits, paper = parse_fixture("plain_published.txt").reading_notes

    assert culture.title == "静かな職場のつくり方"
    assert culture.kind == ReadingKind.OTHER
    assert culture.notes.splitlines()[0] == "- 通知の多い職場では、深い作業の時間が細切れになる"
    assert culture.impressions == (
        "- 自分の一日の通知の数を数えてみたくなった\n- 午前中は通知を切ってみる"
    )
    assert habits.title == "小さな習慣の設計図"
    assert habits.kind == ReadingKind.BOOK
    assert habits.notes.startswith("小さな習慣の設計図 | 山田 花子 |")  # the citation is kept
    assert habits.impressions == "- 音読を続けられているのは、行動が小さいからかもしれない"
    assert paper.title == "Sparse Mixture of Tiny Experts"
    assert paper.kind == ReadingKind.PAPER
    assert paper.notes.endswith("負荷の偏りを抑える補助損失が効いているらしい(表3)。")
    assert paper.impressions == ""


def test_it_reads_separate_keep_problem_try_headings_with_glosses():
    parsed = parse_fixture("separate_headings.md")

    assert parsed.title == "週報 2021年1月18日〜1月24日"
    assert shape(parsed.problem_try) == [
        ("problem", "夜に作業がずれ込む", [("try", "21時以降はパソコンを開かない", [])]),
        ("problem", "会議の議事録を書くのが遅い", [("try", "会議中にメモの型を埋める", [])]),
        ("try", "週の初めに予定を3つだけ決める", []),
    ]


def test_it_flattens_nesting_deeper_than_three_levels():
    keep = parse_fixture("separate_headings.md").keep

    assert shape(keep[0].children) == [
        (
            "keep",
            "雨の日は室内で縄跳びにした",
            [
                ("keep", "縄跳びは10分でも汗をかく", []),
                ("keep", "膝が痛くならない跳び方を調べた", []),
            ],
        )
    ]


def test_it_keeps_other_sections_in_the_summary():
    summary = parse_fixture("separate_headings.md").summary

    assert (
        summary
        == "今週は締め切り前で忙しかった。\n\n## 今週のできごと\n\n友人の引っ越しを手伝った。"
    )


def test_it_reads_previous_tries_without_making_them_this_weeks_items():
    parsed = parse_fixture("separate_headings.md")

    assert [(entry.text, entry.review) for entry in parsed.previous_tries] == [
        ("早寝する", Review.DONE),
        ("朝の散歩", Review.NOT_DONE),
        ("英語の日記", Review.DROPPED),
        ("単語帳アプリを入れる", Review.DONE),
    ]
    texts = [item.text for item in parsed.keep + parsed.problem_try]
    assert "早寝する" not in texts


def test_it_takes_a_bare_url_as_the_notes_link():
    (video,) = parse_fixture("separate_headings.md").reading_notes

    assert video.url == "https://www.youtube.com/watch?v=abcdefghijk"
    assert video.kind == ReadingKind.VIDEO
    assert video.notes == "作る範囲を最初に決めてしまうのが大事、という話。"
    assert video.impressions == "次の休みに試したい。"


def test_it_reads_bare_k_p_t_labels():
    parsed = parse_fixture("kpt_labels.txt")

    assert [item.text for item in parsed.keep] == [
        "英語のポッドキャストを毎日聞いた",
        "部屋の片付けが進んだ",
    ]
    assert shape(parsed.problem_try) == [
        ("problem", "夕方に集中が切れる", []),
        ("try", "昼休みに15分だけ昼寝する", []),
        ("try", "毎日10分", []),
    ]
    assert parsed.reading_notes == []


def test_it_reads_a_gloss_heading_and_a_link_with_its_own_text():
    parsed = parse_fixture("gloss_keep_problem_try.md")

    assert [item.text for item in parsed.keep] == ["大掃除を早めに終えた"]
    (article,) = parsed.reading_notes
    assert (article.title, article.url) == ("年末年始の過ごし方", "https://example.com/new-year")
    assert article.kind == ReadingKind.ARTICLE


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("- ★ 毎日10分", ("try", "毎日10分")),
        ("- 毎日10分 ★", ("try", "毎日10分")),
        ("- 毎日10分★", ("try", "毎日10分")),
        ("- ★★★の難易度に挑む ★", ("try", "★★★の難易度に挑む")),
        ("- 評価が★3つだった", ("problem", "評価が★3つだった")),
        ("- 評価は\\★", ("problem", "評価は★")),
        ("- \\★3つの評価", ("problem", "★3つの評価")),
    ],
)
def test_a_star_marks_a_try_only_at_either_end(line, expected):
    parsed = parse_weekly_report(f"# 週\n## Problem & Try\n{line}\n")

    (item,) = parsed.problem_try
    assert (item.kind, item.text) == expected


def test_a_star_in_keep_is_text():
    parsed = parse_weekly_report("# 週\n## Keep\n- ★★★の難易度をクリア ★\n")

    assert shape(parsed.keep) == [("keep", "★★★の難易度をクリア ★", [])]


def test_it_joins_an_indented_continuation_line_to_its_item():
    parsed = parse_weekly_report("# 週\n## Keep\n- 長い項目の\n  続き\n")

    assert [item.text for item in parsed.keep] == ["長い項目の 続き"]


# Dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Weekly Report 2021/01/18-01/24", (date(2021, 1, 18), date(2021, 1, 24))),
        ("2021/01/18-2021/01/24", (date(2021, 1, 18), date(2021, 1, 24))),
        ("2021-01-18 〜 2021-01-24", (date(2021, 1, 18), date(2021, 1, 24))),
        ("2021年1月18日〜1月24日の週報", (date(2021, 1, 18), date(2021, 1, 24))),
        ("2021/1/18〜1/24", (date(2021, 1, 18), date(2021, 1, 24))),
        ("２０２１／１／１８～１／２４", (date(2021, 1, 18), date(2021, 1, 24))),
        ("2021/01/18(月)-01/24(日)", (date(2021, 1, 18), date(2021, 1, 24))),
        ("Weekly Report 2020/12/28-01/03", (date(2020, 12, 28), date(2021, 1, 3))),
        ("2021/01/18 の週", (date(2021, 1, 18), None)),
        ("日付のない題名", None),
        ("2021/13/45-01/24", None),
    ],
)
def test_it_reads_the_weeks_dates(text, expected):
    assert dates_in(text) == expected


@pytest.mark.parametrize(
    "filename", ["2021-01-18.md", "weekly-2021-01-18.md", "20210118.txt", "reports/2021_01_18.md"]
)
def test_it_falls_back_to_the_date_in_the_file_name(filename):
    parsed = parse_weekly_report("# 今週の振り返り\n## Keep\n- よく寝た\n", filename=filename)

    assert parsed.start_date == MONDAY


def test_it_has_no_dates_when_nothing_says_them():
    parsed = parse_weekly_report("# 今週の振り返り\n## Keep\n- よく寝た\n", filename="notes.md")

    assert (parsed.start_date, parsed.end_date) == (None, None)


# Errors


def test_it_rejects_a_file_that_is_not_a_report():
    with pytest.raises(ReportFormatError) as caught:
        parse_fixture("diary_entry.md")

    error = caught.value
    assert (error.filename, error.line) == ("diary_entry.md", 3)
    assert str(error) == (
        "diary_entry.md: 3行目: 振り返りの見出し(Keep / Problem & Try)が見つかりません"
    )


def test_it_names_the_line_after_a_retrospective_heading_with_nothing_under_it():
    with pytest.raises(ReportFormatError, match="3行目: 振り返りの見出し"):
        parse_weekly_report("# 週\n## 振り返り\n今週は特になし\n", filename="w.md")


def test_it_rejects_an_empty_file():
    with pytest.raises(ReportFormatError, match="1行目: 空のファイルです"):
        parse_weekly_report("\n\n", filename="empty.md")


def test_it_rejects_bytes_that_are_not_utf8_text():
    png = b"# a\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"

    with pytest.raises(ReportFormatError) as caught:
        parse_weekly_report(png, filename="photo.md")

    assert caught.value.line == 2
    assert "photo.md: 2行目: UTF-8 のテキストとして読めません" in str(caught.value)


def test_it_rejects_text_with_nul_bytes():
    with pytest.raises(ReportFormatError, match="3行目: テキストではありません"):
        parse_weekly_report("# 週\n## Keep\n- a\x00b\n", filename="odd.md")


def test_it_reads_utf8_bytes_with_a_byte_order_mark():
    parsed = parse_weekly_report("\ufeff# 週\n## Keep\n- 良かった\n".encode())

    assert parsed.title == "週"


def test_it_rejects_an_item_over_the_length_limit():
    text = f"# 週\n## Keep\n- 短い\n- {'あ' * (ITEM_MAX_LENGTH + 1)}\n"

    with pytest.raises(ReportFormatError) as caught:
        parse_weekly_report(text, filename="long.md")

    assert caught.value.line == 4
    assert f"{ITEM_MAX_LENGTH}文字まで" in str(caught.value)


def test_it_accepts_an_item_at_the_length_limit():
    parsed = parse_weekly_report(f"# 週\n## Keep\n- {'あ' * ITEM_MAX_LENGTH}\n")

    assert len(parsed.keep[0].text) == ITEM_MAX_LENGTH


# Import


def test_it_imports_a_report_as_the_users_week(user):
    week = import_report(user, parse_weekly_report(EXPECTED_EXPORT))

    assert (week.start_date, week.end_date) == (MONDAY, date(2021, 1, 24))
    assert week.title == "Weekly Report 2021/01/18-01/24"
    assert week_to_markdown(week) == EXPECTED_EXPORT
    grandchild = Item.objects.for_user(user).get(text="スマホを鞄にしまっておく")
    assert grandchild.depth() == 2
    try_ = Item.objects.for_user(user).get(text="23時に布団に入る")
    assert (try_.kind, try_.parent.text) == (ItemKind.TRY, "夜更かしが続いた")
    kinds = ReadingNote.objects.for_user(user).values_list("kind", flat=True)
    assert list(kinds) == [ReadingKind.PAPER, ReadingKind.OTHER, ReadingKind.ARTICLE]


def test_it_imports_the_published_post_shape(user):
    week = import_report(user, parse_fixture("plain_published.txt"))

    assert week.start_date == date(2022, 3, 7)
    assert Item.objects.for_user(user).filter(week=week, kind=ItemKind.TRY).count() == 1
    assert ReadingNote.objects.for_user(user).filter(week=week).count() == 3


def test_it_aligns_the_week_to_a_sunday_week_start(user):
    JournalSettings.objects.for_user(user).update(week_start=Weekday.SUNDAY)

    week = import_report(user, parse_fixture("kpt_labels.txt"))

    assert (week.start_date, week.end_date) == (date(2021, 1, 17), date(2021, 1, 23))
    assert week.title == "2021/1/18〜1/24 の週報"


def test_it_places_a_report_across_the_new_year_in_its_week(user):
    week = import_report(user, parse_fixture("gloss_keep_problem_try.md"))

    assert (week.start_date, week.end_date) == (date(2020, 12, 28), date(2021, 1, 3))


def test_it_places_a_new_year_report_in_a_sunday_week(user):
    JournalSettings.objects.for_user(user).update(week_start=Weekday.SUNDAY)

    week = import_report(user, parse_fixture("gloss_keep_problem_try.md"))

    assert week.start_date == date(2020, 12, 27)


def test_it_uses_the_week_it_is_given(user):
    parsed = parse_weekly_report("# 日付のない週\n## Keep\n- 良かった\n")

    week = import_report(user, parsed, week_start=date(2021, 3, 1))

    assert (week.start_date, week.end_date) == (date(2021, 3, 1), date(2021, 3, 7))


def test_it_asks_for_the_week_when_the_report_has_no_date(user):
    parsed = parse_weekly_report("# 日付のない週\n## Keep\n- 良かった\n", filename="a.md")

    with pytest.raises(
        ReportFormatError, match="週の日付が分かりません。--week で指定してください"
    ):
        import_report(user, parsed)
    assert not Week.objects.for_user(user).exists()


def test_it_uses_the_default_title_when_the_report_has_none(user):
    parsed = parse_weekly_report("## Keep\n- 良かった\n", filename="2021-01-18.md")

    week = import_report(user, parsed)

    assert week.title == "Weekly Report 2021/01/18-01/24"


def test_an_import_that_fails_halfway_leaves_nothing(user, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("weekly.report_format._review_previous_tries", fail)

    with pytest.raises(RuntimeError):
        import_report(user, parse_weekly_report(EXPECTED_EXPORT))

    assert not Week.objects.for_user(user).exists()
    assert not Item.objects.for_user(user).exists()
    assert not ReadingNote.objects.for_user(user).exists()


def test_it_refuses_a_week_that_already_has_a_retrospective(user):
    import_report(user, parse_weekly_report(EXPECTED_EXPORT))

    with pytest.raises(
        ReportFormatError, match="すでに振り返りがあります\\(--replace で置き換え\\)"
    ):
        import_report(user, parse_fixture("kpt_labels.txt"))

    assert Item.objects.for_user(user).alive().count() == 8


def test_it_refuses_a_week_that_has_only_a_summary(user):
    make_week(user, summary="自分で書いたまとめ")

    with pytest.raises(ReportFormatError, match="すでに振り返りがあります"):
        import_report(user, parse_fixture("kpt_labels.txt"))


def test_it_fills_a_week_that_exists_but_is_empty(user):
    existing = make_week(user, title="空の週")

    week = import_report(user, parse_fixture("kpt_labels.txt"))

    assert week.pk == existing.pk
    assert week.title == "2021/1/18〜1/24 の週報"


def test_replace_tombstones_the_weeks_items_and_notes(user):
    first = import_report(user, parse_weekly_report(EXPECTED_EXPORT))
    old_ids = set(Item.objects.for_user(user).values_list("id", flat=True))

    week = import_report(user, parse_fixture("kpt_labels.txt"), replace=True)

    assert week.pk == first.pk
    old = Item.objects.for_user(user).filter(id__in=old_ids)
    assert old.count() == 8
    assert not old.filter(deleted_at__isnull=True).exists()
    assert not ReadingNote.objects.for_user(user).alive().exists()
    assert ReadingNote.objects.for_user(user).count() == 3  # tombstones, not gone
    alive = Item.objects.for_user(user).alive()
    assert sorted(alive.values_list("text", flat=True)) == sorted(
        ["英語のポッドキャストを毎日聞いた", "部屋の片付けが進んだ", "夕方に集中が切れる"]
        + ["昼休みに15分だけ昼寝する", "毎日10分"]
    )
    assert week.title == "2021/1/18〜1/24 の週報"
    assert week.summary == ""


def test_replace_leaves_other_users_weeks_alone(user, other_user):
    import_report(other_user, parse_weekly_report(EXPECTED_EXPORT))
    import_report(user, parse_weekly_report(EXPECTED_EXPORT))

    import_report(user, parse_fixture("kpt_labels.txt"), replace=True)

    assert Item.objects.for_user(other_user).alive().count() == 8


def test_previous_tries_set_the_review_of_last_weeks_tries(user):
    last_week = make_week(user, start=date(2021, 1, 11))
    early = add(last_week, "早寝する", ItemKind.TRY)
    walk = add(last_week, "朝の 散歩", ItemKind.TRY, position=2)
    diary = add(last_week, "英語の日記", ItemKind.TRY, position=3)
    cards = add(last_week, "単語帳アプリを入れる", ItemKind.TRY, position=4)
    untouched = add(last_week, "ストレッチ", ItemKind.TRY, position=5)

    import_report(user, parse_fixture("separate_headings.md"))

    reviews = {
        item.text: item.review
        for item in Item.objects.for_user(user).filter(week=last_week)
        if item.pk in {early.pk, walk.pk, diary.pk, cards.pk, untouched.pk}
    }
    assert reviews == {
        "早寝する": Review.DONE,
        "朝の 散歩": Review.NOT_DONE,
        "英語の日記": Review.DROPPED,
        "単語帳アプリを入れる": Review.DONE,
        "ストレッチ": Review.OPEN,
    }
    assert Week.objects.for_user(user).count() == 2


def test_previous_tries_never_touch_another_users_tries(user, other_user):
    theirs = add(make_week(other_user, start=date(2021, 1, 11)), "早寝する", ItemKind.TRY)

    import_report(user, parse_fixture("separate_headings.md"))

    theirs.refresh_from_db()
    assert theirs.review == Review.OPEN


def test_previous_tries_without_a_previous_week_are_ignored(user):
    week = import_report(user, parse_fixture("separate_headings.md"))

    assert Week.objects.for_user(user).get() == week


def test_a_rule_between_items_is_skipped_but_an_item_of_dashes_is_kept():
    parsed = parse_weekly_report("# 週\n## Keep\n- 一つ目\n---\n- - -\n")

    assert [item.text for item in parsed.keep] == ["一つ目", "- -"]


def test_the_weeks_markdown_url_serves_the_export(client, week):
    response = client.get("/weeks/2021-01-18.md")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.content.decode() == EXPECTED_EXPORT


def test_the_markdown_url_of_a_week_not_written_yet_is_an_empty_report(client):
    response = client.get("/weeks/2021-01-18.md")

    assert response.content.decode().startswith("# Weekly Report 2021/01/18-01/24\n")
