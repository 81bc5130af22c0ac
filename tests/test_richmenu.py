"""The coordinator rich menu: within LINE's limits, drawn the same every time in real Thai glyphs, and
deployed to the emulator idempotently, with coordinators linked to it."""
from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from flask import Flask
from PIL import Image

from bot import postback
from bot.client import LineClient
from bot.richmenu import (COORDINATOR_MENU, MAX_IMAGE_BYTES, Area, RichMenuLimitError, check, problems,
                          thai_font)
from bot.richmenu_deploy import deploy, link_coordinator_menu, unlink_menu
from data.models import Role, User
from tests.conftest import finish, make_app, services
from tests.line_emulator import LineEmulator

COORDINATOR = "U" + "c" * 32
CITIZEN = "U" + "d" * 32
IMAGE = COORDINATOR_MENU.image_png()


def test_the_coordinator_menu_is_within_line_limits() -> None:
    assert problems(COORDINATOR_MENU, IMAGE) == []
    menu = COORDINATOR_MENU.definition(COORDINATOR_MENU.menu_name(IMAGE))
    assert menu["size"] == {"width": 2500, "height": 1686} and len(menu["chatBarText"]) <= 14
    assert [area["action"]["data"] for area in menu["areas"]] == [postback.encode(a) for a in ("cq", "cm", "cs", "ch")]
    assert [area["action"]["label"] for area in menu["areas"]] == ["งานรอตรวจ", "งานของฉัน", "สถิติ", "ช่วยเหลือ"]
    assert all(area["action"]["displayText"] for area in menu["areas"])
    covered = sum(area["bounds"]["width"] * area["bounds"]["height"] for area in menu["areas"])
    assert covered == 2500 * 1686  # a 2x2 grid: every pixel is tappable, no area overlaps another


@pytest.mark.parametrize(("change", "reason"), [
    ({"size": (2500, 2000)}, "size 2500x2000"),
    ({"size": (700, 400)}, "size 700x400"),
    ({"chat_bar_text": "เมนูเจ้าหน้าที่"}, "chatBarText has 15 characters"),
    ({"name": "coordinator menu"}, "not a valid alias id"),
    ({"areas": COORDINATOR_MENU.areas * 6}, "24 areas"),
    ({"areas": (Area((2000, 1000, 2600, 1686), COORDINATOR_MENU.areas[0].action),)}, "is not inside"),
])
def test_a_spec_line_would_refuse_is_caught_before_sending(change: dict[str, object], reason: str) -> None:
    spec = replace(COORDINATOR_MENU, **change)
    with pytest.raises(RichMenuLimitError, match=reason):
        check(spec, IMAGE)


def test_the_image_is_a_small_deterministic_png_of_the_menu_size() -> None:
    again = replace(COORDINATOR_MENU).image_png()
    assert hashlib.sha256(again).digest() == hashlib.sha256(IMAGE).digest()
    assert len(IMAGE) <= MAX_IMAGE_BYTES
    with Image.open(io.BytesIO(IMAGE)) as image:
        assert (image.format, image.size) == ("PNG", (2500, 1686))
        assert not image.text  # no tEXt/iTXt chunks: nothing in the file changes from run to run


def test_labels_are_drawn_in_thai_glyphs_not_tofu() -> None:
    font = thai_font(120)
    missing = font.getmask("\ue000")  # a private-use code point: the font draws its .notdef box
    for char in set("".join(area.action["label"] for area in COORDINATOR_MENU.areas)):
        mask = font.getmask(char)
        assert mask.getbbox() is not None, char
        assert (mask.size, bytes(mask)) != (missing.size, bytes(missing)), f"{char!r} renders as .notdef"
    with Image.open(io.BytesIO(IMAGE)) as image:
        label_row = image.convert("L").crop((150, 600, 1100, 760))  # under the first tile's glyph
        inked = sum(label_row.histogram()[:128])
    assert inked > 10_000


def add_user(app: Flask, line_user_id: str, role: Role) -> None:
    with services(app).db.session() as session:
        session.add(User(line_user_id=line_user_id, role=role))


def run_deploy(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["richmenu", "deploy"])
    assert result.exit_code == 0, result.output
    return result.output


def test_deploy_creates_one_menu_with_its_image_alias_and_coordinator_links(app: Flask, line: LineEmulator) -> None:
    add_user(app, COORDINATOR, Role.COORDINATOR)
    add_user(app, CITIZEN, Role.CITIZEN)
    output = run_deploy(app)
    store = line.rich_menus
    (menu_id, menu), = store.menus.items()
    assert menu["name"] == COORDINATOR_MENU.menu_name(IMAGE)
    assert store.images[menu_id] == ("image/png", IMAGE)
    assert store.aliases == {"coordinator": menu_id}
    assert store.menu_for(COORDINATOR) == menu_id and store.menu_for(CITIZEN) is None
    assert f"created {menu_id}" in output and "linked 1 coordinator user(s)" in output

    requests_before = len(line.requests)
    assert "up to date" in run_deploy(app)
    assert list(store.menus) == [menu_id]
    assert all(r.method == "GET" for r in line.requests[requests_before:])


def test_a_changed_menu_replaces_the_old_one(app: Flask, line: LineEmulator) -> None:
    add_user(app, COORDINATOR, Role.COORDINATOR)
    run_deploy(app)
    (old_id,) = line.rich_menus.menus
    changed = replace(COORDINATOR_MENU, chat_bar_text="งานหน่วยงาน")
    output = "\n".join(deploy(services(app).line, services(app).db, changed, Role.COORDINATOR))
    (new_id,) = line.rich_menus.menus
    assert new_id != old_id and f"coordinator: deleted {old_id}" in output
    assert line.rich_menus.menus[new_id]["chatBarText"] == "งานหน่วยงาน"
    assert line.rich_menus.aliases == {"coordinator": new_id}
    assert line.rich_menus.menu_for(COORDINATOR) == new_id


def test_a_deploy_that_stopped_half_way_is_finished_by_the_next(app: Flask, line: LineEmulator) -> None:
    client = services(app).line
    stray = client.create_rich_menu(COORDINATOR_MENU.definition(COORDINATOR_MENU.menu_name(IMAGE)))
    run_deploy(app)  # the stray has the right name but no image and no alias: it is not trusted
    (menu_id,) = line.rich_menus.menus
    assert menu_id != stray and line.rich_menus.aliases == {"coordinator": menu_id}


def test_a_new_coordinator_is_linked_through_the_alias_and_unlinked_later(app: Flask, line: LineEmulator) -> None:
    client = services(app).line
    assert link_coordinator_menu(client, COORDINATOR) is False  # nothing deployed yet
    run_deploy(app)
    assert link_coordinator_menu(client, COORDINATOR) is True
    assert line.rich_menus.menu_for(COORDINATOR) == line.rich_menus.aliases["coordinator"]
    unlink_menu(client, COORDINATOR)
    assert line.rich_menus.menu_for(COORDINATOR) is None


def test_images_go_to_the_data_api_host(app: Flask, line: LineEmulator) -> None:
    # The same emulator under two host names tells the two base URLs apart.
    port = urlsplit(line.base_url).port
    settings = replace(services(app).line.settings, data_api_base_url=f"http://localhost:{port}")
    client = LineClient(settings)
    menu_id = client.create_rich_menu(COORDINATOR_MENU.definition("coordinator#test"))
    client.set_rich_menu_image(menu_id, IMAGE)
    hosts = {r.path: r.headers["host"] for r in line.requests}
    assert hosts == {"/v2/bot/richmenu": f"127.0.0.1:{port}",
                     f"/v2/bot/richmenu/{menu_id}/content": f"localhost:{port}"}


def test_many_users_are_linked_in_batches_of_500(app: Flask, line: LineEmulator) -> None:
    client = services(app).line
    menu_id = client.create_rich_menu(COORDINATOR_MENU.definition("coordinator#test"))
    client.set_rich_menu_image(menu_id, IMAGE)
    users = [f"U{index:032x}" for index in range(1001)]
    client.link_rich_menu_to_users(users, menu_id)
    assert [len(r.body["userIds"]) for r in line.requests if r.path.endswith("/bulk/link")] == [500, 500, 1]
    assert all(line.rich_menus.menu_for(user) == menu_id for user in users)


def test_deploy_without_a_channel_token_says_so(database_url: str, line: LineEmulator) -> None:
    app = make_app(database_url, line.base_url, LINE_CHANNEL_ACCESS_TOKEN=None)
    try:
        result = app.test_cli_runner().invoke(args=["richmenu", "deploy"])
    finally:
        finish(app)
    assert result.exit_code != 0 and "LINE_CHANNEL_ACCESS_TOKEN" in result.output
    assert line.requests == []

