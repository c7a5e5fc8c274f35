from datetime import date

import pytest

from journal.markdown import RENDER_VERSION
from tests.conftest import DAY
from weekly.models import MAX_DEPTH, Item, ItemKind, ReadingNote, Week, default_week_title
from weekly.tree import build_tree, flatten, split_sections


def texts(nodes) -> list:
    """The tree as nested lists: ["親", ["子"]] for a parent with one child."""
    out = []
    for node in nodes:
        out.append(node.item.text)
        if node.children:
            out.append(texts(node.children))
    return out


def live(week) -> list[Item]:
    return list(Item.objects.filter(week=week, deleted_at__isnull=True))


@pytest.mark.parametrize(
    ("start", "end", "title"),
    [
        (date(2021, 1, 18), date(2021, 1, 24), "Weekly Report 2021/01/18-01/24"),
        (date(2026, 12, 28), date(2027, 1, 3), "Weekly Report 2026/12/28-01/03"),
        (date(2026, 12, 27), date(2027, 1, 2), "Weekly Report 2026/12/27-01/02"),
    ],
)
def test_the_default_title_writes_the_year_once(start, end, title):
    assert default_week_title(start, end) == title


def test_get_or_create_for_stores_the_start_and_end(user):
    week = Week.get_or_create_for(user, date(2026, 12, 28))
    assert (week.start_date, week.end_date) == (date(2026, 12, 28), date(2027, 1, 3))
    assert week.title == "Weekly Report 2026/12/28-01/03"
    assert week.revision == 1
    assert Week.get_or_create_for(user, date(2026, 12, 28)) == week
    assert Week.objects.count() == 1


def test_get_or_create_for_keeps_users_apart(user, other_user):
    mine = Week.get_or_create_for(user, DAY)
    bobs = Week.get_or_create_for(other_user, DAY)
    assert mine != bobs
    assert (mine.user, bobs.user) == (user, other_user)


def test_a_stored_end_date_is_kept_even_if_the_week_start_changes(user, make_week):
    week = make_week()
    user.journal_settings.week_start = 6
    user.journal_settings.save()
    week.refresh_from_db()
    assert week.end_date == date(2026, 11, 29)


def test_saving_a_week_renders_the_summary_and_bumps_the_revision(make_week):
    week = make_week(summary="**太字**")
    assert week.summary_html == "<p><strong>太字</strong></p>\n"
    assert week.render_version == RENDER_VERSION
    week.title = "新しい題"
    week.save()
    assert week.revision == 2


def test_week_save_revision_is_a_compare_and_swap(make_week):
    week = make_week()
    assert week.save_revision(1, title="一度目", summary="*斜体*")
    assert (week.revision, week.summary_html) == (2, "<p><em>斜体</em></p>\n")
    assert not week.save_revision(1, title="遅れた題")
    assert week.title == "一度目"


def test_week_urls_and_neighbours(make_week):
    week = make_week()
    assert week.get_absolute_url() == "/weeks/2026-11-23/"
    assert week.previous_start == date(2026, 11, 16)
    assert str(week) == "Weekly Report 2026/11/23-11/29"


def test_new_items_go_to_the_end_of_their_siblings(make_item):
    first = make_item("一")
    child = make_item("子", parent=first)
    second = make_item("二")
    problem = make_item("問題", ItemKind.PROBLEM)
    assert first.position < second.position
    assert child.position == 1
    assert problem.position == 1  # positions count within a section


def test_items_store_normalized_search_text(make_item):
    item = make_item("ＫＰＴをｶﾀｶﾅで")
    assert item.search_text == "kptをカタカナで"
    item.save_revision(1, text="ＡＢＣ")
    assert item.search_text == "abc"


def test_depth_and_subtree_height(make_item):
    top = make_item("一")
    middle = make_item("二", parent=top)
    bottom = make_item("三", parent=middle)
    assert [item.depth() for item in (top, middle, bottom)] == [0, 1, 2]
    assert [item.subtree_height() for item in (top, middle, bottom)] == [3, 2, 1]
    bottom.delete_softly()
    assert top.subtree_height() == 2


def test_sections_and_tries(make_item):
    keep, problem, try_ = (
        make_item("K"),
        make_item("P", ItemKind.PROBLEM),
        make_item("T", ItemKind.TRY),
    )
    assert [item.section for item in (keep, problem, try_)] == ["keep", "problem", "problem"]
    assert [item.is_try for item in (keep, problem, try_)] == [False, False, True]
    assert list(Item.objects.in_section("problem")) == [problem, try_]
    assert list(Item.objects.tries()) == [try_]


def test_toggle_star_flips_problem_and_try_and_bumps_the_revision(make_item):
    item = make_item("問題", ItemKind.PROBLEM)
    item.toggle_star()
    assert (item.kind, item.revision) == (ItemKind.TRY, 2)
    item.toggle_star()
    assert (item.kind, item.revision) == (ItemKind.PROBLEM, 3)


def test_toggle_star_leaves_a_keep_alone(make_item):
    keep = make_item()
    keep.toggle_star()
    assert (keep.kind, keep.revision) == (ItemKind.KEEP, 1)


def test_move_up_and_down_swap_and_bump_the_revision(make_item):
    first, second = make_item("一"), make_item("二")
    assert second.move_up()
    first.refresh_from_db()
    assert second.position < first.position
    assert (first.revision, second.revision) == (2, 2)
    assert second.move_down()
    first.refresh_from_db()
    assert first.position < second.position
    assert (first.revision, second.revision) == (3, 3)


def test_moves_past_the_ends_return_false_and_change_nothing(make_item):
    first, second = make_item("一"), make_item("二")
    assert not first.move_up()
    assert not second.move_down()
    assert not first.outdent()
    assert not first.indent()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.revision, second.revision) == (1, 1)


def test_indent_and_outdent_bump_the_revision(make_item):
    above, item, after = make_item("上"), make_item("下"), make_item("後")
    assert item.indent()
    assert (item.parent, item.revision) == (above, 2)
    assert item.outdent()
    assert (item.parent, item.revision) == (None, 3)
    assert [i.text for i in item.siblings()] == ["上", "下", "後"]
    after.refresh_from_db()
    assert after.position > item.position


def test_indent_refuses_a_fourth_level(make_item):
    top = make_item("一")
    middle = make_item("二", parent=top)
    bottom = make_item("三", parent=middle)
    sibling = make_item("三の弟", parent=middle)
    assert MAX_DEPTH == 3
    assert not sibling.indent()
    assert sibling.parent == middle
    assert sibling.revision == 1
    assert bottom.depth() == MAX_DEPTH - 1


def test_indent_refuses_a_subtree_that_would_go_too_deep(make_item):
    make_item("一")
    item = make_item("二")
    make_item("二の孫", parent=make_item("二の子", parent=item))
    assert not item.indent()


def test_delete_softly_and_restore_bump_the_revision(make_item):
    item = make_item()
    item.delete_softly()
    assert item.deleted_at is not None
    assert item.revision == 2
    item.restore()
    assert item.deleted_at is None
    assert item.revision == 3
    assert Item.objects.count() == 1


def test_item_save_revision_refuses_a_stale_or_deleted_item(make_item):
    item = make_item("元")
    assert item.save_revision(1, text="一度目")
    assert not item.save_revision(1, text="遅れた")
    assert item.text == "一度目"
    item.delete_softly()
    assert not item.save_revision(item.revision, text="消えた後")
    assert item.text == "一度目"


def test_build_tree_nests_in_position_order(make_item, make_week):
    parent = make_item("親")
    make_item("子二", parent=parent, position=5)
    make_item("子一", parent=parent, position=2)
    make_item("次の親")
    assert texts(build_tree(live(make_week()))) == ["親", ["子一", "子二"], "次の親"]


def test_build_tree_drops_the_children_of_deleted_parents(make_item, make_week):
    parent = make_item("消した親")
    child = make_item("子", parent=parent)
    make_item("孫", parent=child)
    make_item("残る")
    parent.delete_softly()
    assert texts(build_tree(live(make_week()))) == ["残る"]


def test_build_tree_gives_depths_and_flatten_reads_in_order(make_item, make_week):
    top = make_item("一")
    middle = make_item("二", parent=top)
    make_item("三", parent=middle)
    make_item("四")
    flat = flatten(build_tree(live(make_week())))
    assert [(node.item.text, node.depth) for node in flat] == [
        ("一", 0), ("二", 1), ("三", 2), ("四", 0),
    ]  # fmt: skip


def test_split_sections_puts_tries_with_problems(make_item, make_week):
    make_item("K")
    problem = make_item("P", ItemKind.PROBLEM)
    make_item("T", ItemKind.TRY, parent=problem)
    make_item("T2", ItemKind.TRY)
    keep, problem_and_try = split_sections(live(make_week()))
    assert texts(keep) == ["K"]
    assert texts(problem_and_try) == ["P", ["T"], "T2"]


def test_reading_notes_render_markdown_and_go_to_the_end(make_note):
    first = make_note("一冊目", notes="**要点**", impressions="*良い*")
    second = make_note("二冊目")
    assert first.notes_html == "<p><strong>要点</strong></p>\n"
    assert first.impressions_html == "<p><em>良い</em></p>\n"
    assert first.render_version == RENDER_VERSION
    assert first.position < second.position
    assert "一冊目" in first.search_text


def test_reading_note_save_revision_is_a_compare_and_swap(make_note):
    note = make_note()
    assert note.save_revision(1, impressions="**再読**")
    assert (note.revision, note.impressions_html) == (2, "<p><strong>再読</strong></p>\n")
    assert not note.save_revision(1, impressions="遅れた")
    assert note.impressions == "**再読**"
    assert ReadingNote.objects.get().revision == 2


def test_reading_note_bump_and_save_count_revisions(make_note):
    note = make_note()
    note.bump(position=9)
    assert (note.position, note.revision) == (9, 2)
    note.title = "改題"
    note.save()
    assert note.revision == 3
