"""Rich menus for every role: within LINE's limits, drawn the same every time in real Thai glyphs, deployed to
the emulator idempotently (citizen's as the default, volunteers and coordinators linked), and switched per
user at once when a role changes."""
from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from PIL import Image

from bot.devtools.line_emulator import LineEmulator
from bot.line import postback
from bot.line.client import LineClient
from bot.line.postback import Action
from bot.richmenu.deploy import deploy, link_menu, menus_to_deploy, show_role_menu
from bot.richmenu.draw import CARD_COLOUR, TAB_STRIP_COLOUR, thai_font
from bot.richmenu.spec import (
    CITIZEN_MENU,
    COORDINATOR_MENU,
    MAX_IMAGE_BYTES,
    ROLE_MENUS,
    TAB_HEIGHT,
    VOLUNTEER_MENU,
    VOLUNTEER_TOOLS_MENU,
    Area,
    MenuCommand,
    RichMenuLimitError,
    RichMenuSpec,
    check,
    describe,
    menu_pages,
    problems,
)
from data.models import Role, User
from data.users import find_user, set_role
from handlers.base import FollowUp
from tests.conftest import finish, make_app, services
from tests.conversation import drain
from tests.services import REDIS_URL, require_redis
from workers.richmenu_jobs import link_menu_job_id, sync_user_menu

COORDINATOR = "U" + "c" * 32
CITIZEN = "U" + "d" * 32
VOLUNTEER = "U" + "e" * 32
MENUS = menus_to_deploy()
IMAGES = {spec.name: spec.image_png() for spec in MENUS}
ALIASES = {"citizen", "volunteer", "volunteer-tools", "coordinator"}


def by_name(spec: RichMenuSpec) -> str:
    return spec.name


def sends(spec: RichMenuSpec) -> list[str]:
    return [area.action["text"] for area in spec.areas if area.action["type"] == "message"]


# -- the menus -------------------------------------------------------------------------------------------------
def test_every_role_has_its_menu_and_the_rest_see_the_citizens() -> None:
    assert [spec.name for spec in MENUS] == ["citizen", "volunteer", "volunteer-tools", "coordinator"]
    assert menu_pages(Role.VOLUNTEER) == (VOLUNTEER_MENU, VOLUNTEER_TOOLS_MENU)
    assert menu_pages(Role.COORDINATOR) == (COORDINATOR_MENU,)
    assert menu_pages(Role.CITIZEN) == menu_pages(Role.ADMIN) == menu_pages(None) == (CITIZEN_MENU,)


@pytest.mark.parametrize("spec", MENUS, ids=by_name)
def test_each_menu_is_within_line_limits(spec: RichMenuSpec) -> None:
    image = IMAGES[spec.name]
    assert problems(spec, image) == []
    width, height = spec.size
    assert 800 <= width <= 2500 and height >= 250 and width / height >= 1.45
    assert len(image) <= MAX_IMAGE_BYTES and 1 <= len(spec.chat_bar_text) <= 14
    menu = spec.definition(spec.menu_name(image))
    assert 1 <= len(menu["areas"]) <= 20
    for area in menu["areas"]:
        bounds = area["bounds"]
        assert bounds["x"] >= 0 and bounds["y"] >= 0
        assert bounds["x"] + bounds["width"] <= width and bounds["y"] + bounds["height"] <= height
        assert 1 <= len(area["action"]["label"]) <= 20
        assert area["action"]["type"] in {"message", "postback", "richmenuswitch"}


@pytest.mark.parametrize("spec", MENUS, ids=by_name)
def test_areas_tile_the_menu_without_overlapping(spec: RichMenuSpec) -> None:
    width, height = spec.size
    covered = sum((right - left) * (bottom - top) for (left, top, right, bottom) in (a.bounds for a in spec.areas))
    tabbed = any(area.action["type"] == "richmenuswitch" for area in spec.areas)
    # Every pixel is tappable except, on a tabbed page, the tab of the page you are on.
    assert covered == width * height - (width // 2 * TAB_HEIGHT if tabbed else 0)
    boxes = [area.bounds for area in spec.areas]
    for index, (left, top, right, bottom) in enumerate(boxes):
        for other in boxes[index + 1:]:
            assert right <= other[0] or other[2] <= left or bottom <= other[1] or other[3] <= top


def test_the_citizen_menu_sends_the_six_commands_handlers_know() -> None:
    assert sends(CITIZEN_MENU) == ["ตรวจข่าว", "ศูนย์ใกล้ฉัน", "หลักสูตร", "แจ้งเบาะแส", "ข่าวปลอมล่าสุด", "ช่วยเหลือ"]
    assert [area.action["label"] for area in CITIZEN_MENU.areas] == sends(CITIZEN_MENU)
    assert len(CITIZEN_MENU.areas) == 6 and CITIZEN_MENU.chat_bar_text == "เมนูช่วยเช็ก"


def test_the_volunteer_menu_has_two_pages_switched_by_tabs() -> None:
    general, tools = VOLUNTEER_MENU, VOLUNTEER_TOOLS_MENU
    assert general.areas[0].action["richMenuAliasId"] == tools.name and general.areas[0].action["label"] == "อาสาสมัคร"
    assert tools.areas[0].action["richMenuAliasId"] == general.name and tools.areas[0].action["label"] == "ทั่วไป"
    for page in (general, tools):
        assert postback.decode(page.areas[0].action["data"])[0] == Action.MENU_TAB
        assert page.chat_bar_text == "เมนูอาสาสมัคร" and page.size == general.size
    assert sends(general) == sends(CITIZEN_MENU)
    assert sends(tools) == ["ค้นหาข่าว", "เทรนด์", "โปรไฟล์ อสด."]
    assert set(sends(general) + sends(tools)) == set(MenuCommand)
    assert [area.action["label"] for area in tools.areas[1:]] == ["ค้นหาข่าว", "เทรนด์จังหวัดของฉัน", "โปรไฟล์ อสด."]


def test_the_active_tab_is_drawn_highlighted() -> None:
    def tab_pixels(spec: RichMenuSpec) -> tuple[tuple[int, ...], tuple[int, ...]]:
        with Image.open(io.BytesIO(IMAGES[spec.name])) as image:
            # Inside each tab, off its caption: a white card for the active one, the dark strip for the other.
            return image.getpixel((150, TAB_HEIGHT // 2)), image.getpixel((1400, TAB_HEIGHT // 2))

    white, dark = Image.new("RGB", (1, 1), CARD_COLOUR).getpixel((0, 0)), \
        Image.new("RGB", (1, 1), TAB_STRIP_COLOUR).getpixel((0, 0))
    assert tab_pixels(VOLUNTEER_MENU) == (white, dark)
    assert tab_pixels(VOLUNTEER_TOOLS_MENU) == (dark, white)


def test_the_coordinator_menu_keeps_its_signed_off_postbacks() -> None:
    menu = COORDINATOR_MENU.definition(COORDINATOR_MENU.menu_name(IMAGES["coordinator"]))
    assert menu["size"] == {"width": 2500, "height": 1686}
    assert [area["action"]["data"] for area in menu["areas"]] == [postback.encode(a) for a in ("cq", "cm", "cs", "ch")]
    assert [area["action"]["label"] for area in menu["areas"]] == ["งานรอตรวจ", "งานของฉัน", "สถิติ", "ช่วยเหลือ"]
    assert all(area["action"]["displayText"] for area in menu["areas"])


def test_describe_lists_what_each_area_does() -> None:
    assert describe(VOLUNTEER_TOOLS_MENU) == [
        "ทั่วไป → switches to menu volunteer",
        'ค้นหาข่าว → sends "ค้นหาข่าว"',
        'เทรนด์จังหวัดของฉัน → sends "เทรนด์"',
        'โปรไฟล์ อสด. → sends "โปรไฟล์ อสด."',
    ]
    assert describe(COORDINATOR_MENU)[0] == 'งานรอตรวจ → postback a=cq (shows "ดูงานรอตรวจ")'


LOCATION = {"type": "location", "label": "ส่งตำแหน่ง"}


@pytest.mark.parametrize(("change", "reason"), [
    ({"size": (2500, 2000)}, "size 2500x2000"),
    ({"size": (700, 400)}, "size 700x400"),
    ({"chat_bar_text": "เมนูเจ้าหน้าที่"}, "chatBarText has 15 characters"),
    ({"name": "coordinator menu"}, "not a valid alias id"),
    ({"areas": COORDINATOR_MENU.areas * 6}, "24 areas"),
    ({"areas": (Area((2000, 1000, 2600, 1686), COORDINATOR_MENU.areas[0].action),)}, "is not inside"),
    ({"areas": (Area((0, 0, 100, 100), LOCATION),)}, "for quick replies only"),
    ({"areas": (Area((0, 0, 100, 100), {"type": "message", "label": "เทรนด์ในจังหวัดของฉัน", "text": "x"}),)},
     "label must have 1-20 characters"),
    ({"areas": (Area((0, 0, 100, 100), {"type": "richmenuswitch", "label": "x", "richMenuAliasId": "a b",
                                        "data": "a=tab"}),)}, "valid richMenuAliasId"),
])
def test_a_spec_line_would_refuse_is_caught_before_sending(change: dict[str, object], reason: str) -> None:
    spec = replace(COORDINATOR_MENU, **change)
    with pytest.raises(RichMenuLimitError, match=reason):
        check(spec, IMAGES["coordinator"])


def test_a_tab_to_a_page_that_is_not_deployed_is_refused() -> None:
    with pytest.raises(RichMenuLimitError, match=r"switches to \['volunteer-tools'\]"):
        menus_to_deploy({**ROLE_MENUS, Role.VOLUNTEER: (VOLUNTEER_MENU,)})
    with pytest.raises(RichMenuLimitError, match="two different rich menus are named 'citizen'"):
        menus_to_deploy({**ROLE_MENUS, Role.COORDINATOR: (replace(CITIZEN_MENU, chat_bar_text="อื่น"),)})


@pytest.mark.parametrize("spec", MENUS, ids=by_name)
def test_each_image_is_a_small_deterministic_png_of_the_menu_size(spec: RichMenuSpec) -> None:
    again = replace(spec).image_png()
    assert hashlib.sha256(again).digest() == hashlib.sha256(IMAGES[spec.name]).digest()
    with Image.open(io.BytesIO(again)) as image:
        assert (image.format, image.size) == ("PNG", spec.size)
        assert not image.text  # no tEXt/iTXt chunks: nothing in the file changes from run to run


def test_captions_are_drawn_in_thai_glyphs_not_tofu() -> None:
    font = thai_font(120)
    missing = font.getmask("\ue000")  # a private-use code point: the font draws its .notdef box
    captions = "".join(area.action["label"] for spec in MENUS for area in spec.areas) + "เทรนด์ในจังหวัดของฉัน"
    for char in set(captions) - {" "}:
        mask = font.getmask(char)
        assert mask.getbbox() is not None, char
        assert (mask.size, bytes(mask)) != (missing.size, bytes(missing)), f"{char!r} renders as .notdef"
    with Image.open(io.BytesIO(IMAGES["citizen"])) as image:
        label_row = image.convert("L").crop((100, 560, 730, 760))  # under the first tile's pictogram
        inked = sum(label_row.histogram()[:128])
    assert inked > 10_000


# -- deployment ------------------------------------------------------------------------------------------------
def add_user(app: Flask, line_user_id: str, role: Role) -> None:
    with services(app).db.session() as session:
        session.add(User(line_user_id=line_user_id, role=role))


def run_deploy(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["richmenu", "deploy", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture()
def people(app: Flask) -> Flask:
    add_user(app, COORDINATOR, Role.COORDINATOR)
    add_user(app, CITIZEN, Role.CITIZEN)
    add_user(app, VOLUNTEER, Role.VOLUNTEER)
    return app


def test_deploy_puts_every_menu_on_line_with_the_citizens_as_default(people: Flask, line: LineEmulator) -> None:
    output = run_deploy(people)
    store, client = line.rich_menus, services(people).line
    assert set(store.aliases) == ALIASES and len(store.menus) == 4
    for spec in MENUS:
        menu_id = store.aliases[spec.name]
        assert store.menus[menu_id]["name"] == spec.menu_name(IMAGES[spec.name])
        assert store.images[menu_id] == ("image/png", IMAGES[spec.name])
        assert f"{spec.name}: created {menu_id}" in output
    assert client.default_rich_menu() == store.aliases["citizen"]
    assert client.user_rich_menu(VOLUNTEER) == store.aliases["volunteer"]
    assert client.user_rich_menu(COORDINATOR) == store.aliases["coordinator"]
    assert client.user_rich_menu(CITIZEN) is None and store.menu_for(CITIZEN) == store.aliases["citizen"]
    assert "linked 1 volunteer user(s)" in output and "linked 1 coordinator user(s)" in output
    # The tabs lead to real menus: the page a tab switches to is deployed under that alias.
    tabs = [area["action"] for menu in store.menus.values() for area in menu["areas"]
            if area["action"]["type"] == "richmenuswitch"]
    assert sorted(tab["richMenuAliasId"] for tab in tabs) == ["volunteer", "volunteer-tools"]


def test_a_second_deploy_changes_nothing(people: Flask, line: LineEmulator) -> None:
    run_deploy(people)
    before = dict(line.rich_menus.menus), dict(line.rich_menus.user_links), line.rich_menus.default_id
    requests_before = len(line.requests)
    output = run_deploy(people)
    assert output.splitlines() == [f"richmenu {spec.name}: up to date ({line.rich_menus.aliases[spec.name]})"
                                   for spec in MENUS]
    assert (dict(line.rich_menus.menus), dict(line.rich_menus.user_links), line.rich_menus.default_id) == before
    assert all(r.method == "GET" for r in line.requests[requests_before:])


def test_a_changed_menu_replaces_and_deletes_the_old_one(people: Flask, line: LineEmulator) -> None:
    run_deploy(people)
    store = line.rich_menus
    old = dict(store.aliases)
    changed = {Role.CITIZEN: (replace(CITIZEN_MENU, chat_bar_text="แตะเพื่อดูเมนู"),),
               Role.VOLUNTEER: (replace(VOLUNTEER_MENU, chat_bar_text="เมนู อสด."), VOLUNTEER_TOOLS_MENU),
               Role.COORDINATOR: (COORDINATOR_MENU,)}
    output = "\n".join(deploy(services(people).line, services(people).db, changed))
    assert store.aliases["volunteer-tools"] == old["volunteer-tools"]  # unchanged: left alone
    assert store.aliases["coordinator"] == old["coordinator"]
    for name in ("citizen", "volunteer"):
        assert store.aliases[name] != old[name] and old[name] not in store.menus
        assert f"{name}: deleted {old[name]}" in output
    assert len(store.menus) == 4
    assert store.menus[store.aliases["citizen"]]["chatBarText"] == "แตะเพื่อดูเมนู"
    assert store.default_id == store.aliases["citizen"] and "citizen: default menu ->" in output
    assert store.user_links == {VOLUNTEER: store.aliases["volunteer"], COORDINATOR: store.aliases["coordinator"]}
    assert "coordinator: up to date" in output and "volunteer-tools: up to date" in output


def test_a_changed_second_page_moves_its_users_to_the_first_page(people: Flask, line: LineEmulator) -> None:
    run_deploy(people)
    store, client = line.rich_menus, services(people).line
    old_tools = store.aliases["volunteer-tools"]
    client.link_rich_menu(VOLUNTEER, old_tools)  # what tapping the tools tab does on the phone
    changed = {**ROLE_MENUS, Role.VOLUNTEER: (VOLUNTEER_MENU, replace(VOLUNTEER_TOOLS_MENU, chat_bar_text="เมนู อสด."))}
    output = "\n".join(deploy(client, services(people).db, changed))
    assert store.aliases["volunteer-tools"] != old_tools and old_tools not in store.menus
    assert f"volunteer-tools: deleted {old_tools}" in output
    assert client.user_rich_menu(VOLUNTEER) == store.aliases["volunteer"]  # not stranded on the default
    assert store.aliases["volunteer"] in store.menus
    assert "volunteer: linked 1 volunteer user(s)" in output and "coordinator: up to date" in output


def test_relink_links_every_user_again_without_new_menus(people: Flask, line: LineEmulator) -> None:
    run_deploy(people)
    client = services(people).line
    client.unlink_rich_menu(VOLUNTEER)  # as if the job of a role change had been lost
    output = run_deploy(people, "--relink")
    assert "volunteer: linked 1 volunteer user(s)" in output and "created" not in output
    assert client.user_rich_menu(VOLUNTEER) == line.rich_menus.aliases["volunteer"]


def test_a_deploy_that_stopped_half_way_is_finished_by_the_next(app: Flask, line: LineEmulator) -> None:
    client = services(app).line
    stray = client.create_rich_menu(COORDINATOR_MENU.definition(COORDINATOR_MENU.menu_name(IMAGES["coordinator"])))
    run_deploy(app)  # the stray has the right name but no image and no alias: it is not trusted
    assert stray not in line.rich_menus.menus and set(line.rich_menus.aliases) == ALIASES


def test_flask_richmenu_user_says_which_menu_a_user_sees(people: Flask, line: LineEmulator) -> None:
    runner = people.test_cli_runner()
    assert "no menu" in runner.invoke(args=["richmenu", "user", CITIZEN]).output
    run_deploy(people)
    volunteer = runner.invoke(args=["richmenu", "user", VOLUNTEER]).output
    citizen = runner.invoke(args=["richmenu", "user", CITIZEN]).output
    assert f"{VOLUNTEER}: volunteer#" in volunteer and "linked" in volunteer
    assert f"{CITIZEN}: citizen#" in citizen and "the channel default" in citizen


# -- role changes ----------------------------------------------------------------------------------------------
def change_role(app: Flask, line_user_id: str, role: Role) -> None:
    """What a role change does: the new role in the database, then the job its handler asks for."""
    with services(app).db.session() as session:
        user = find_user(session, line_user_id)
        assert user is not None
        set_role(session, user, role, actor="test")
    follow_up = FollowUp(sync_user_menu, (line_user_id,), link_menu_job_id(line_user_id))
    services(app).queue.enqueue(follow_up.func, *follow_up.args, job_id=follow_up.job_id)
    drain(app)


def test_a_role_change_switches_the_users_menu_at_once(people: Flask, line: LineEmulator) -> None:
    run_deploy(people)
    client, aliases = services(people).line, line.rich_menus.aliases
    steps = [(Role.VOLUNTEER, aliases["volunteer"]), (Role.COORDINATOR, aliases["coordinator"]),
             (Role.VOLUNTEER, aliases["volunteer"]), (Role.CITIZEN, None), (Role.COORDINATOR, aliases["coordinator"]),
             (Role.ADMIN, None)]
    for role, linked in steps:
        change_role(people, CITIZEN, role)
        assert client.user_rich_menu(CITIZEN) == linked, role  # GET /v2/bot/user/{userId}/richmenu
    assert line.rich_menus.menu_for(CITIZEN) == aliases["citizen"]  # no menu of their own: the default


def test_a_role_change_before_any_deploy_links_nothing(people: Flask, line: LineEmulator) -> None:
    client = services(people).line
    assert link_menu(client, VOLUNTEER, VOLUNTEER_MENU) is False
    assert show_role_menu(client, VOLUNTEER, Role.VOLUNTEER) is False
    change_role(people, CITIZEN, Role.VOLUNTEER)
    assert line.rich_menus.user_links == {} and not any(r.method == "POST" for r in line.requests)


@pytest.fixture()
def rq_app(tmp_path: Path, line: LineEmulator) -> Iterator[Flask]:
    require_redis()
    app = make_app(f"sqlite:///{tmp_path / 'menus.sqlite3'}", line.base_url, REDIS_URL=REDIS_URL)
    yield app
    finish(app)


def test_the_sync_job_runs_on_an_rq_worker(rq_app: Flask, line: LineEmulator) -> None:
    add_user(rq_app, VOLUNTEER, Role.CITIZEN)
    run_deploy(rq_app)
    change_role(rq_app, VOLUNTEER, Role.VOLUNTEER)
    assert services(rq_app).line.user_rich_menu(VOLUNTEER) == line.rich_menus.aliases["volunteer"]


# -- the client ------------------------------------------------------------------------------------------------
def test_images_go_to_the_data_api_host(app: Flask, line: LineEmulator) -> None:
    # The same emulator under two host names tells the two base URLs apart.
    port = urlsplit(line.base_url).port
    settings = replace(services(app).line.settings, data_api_base_url=f"http://localhost:{port}")
    client = LineClient(settings)
    menu_id = client.create_rich_menu(COORDINATOR_MENU.definition("coordinator#test"))
    client.set_rich_menu_image(menu_id, IMAGES["coordinator"])
    hosts = {r.path: r.headers["host"] for r in line.requests}
    assert hosts == {"/v2/bot/richmenu": f"127.0.0.1:{port}",
                     f"/v2/bot/richmenu/{menu_id}/content": f"localhost:{port}"}


def test_many_users_are_linked_in_batches_of_500(app: Flask, line: LineEmulator) -> None:
    client = services(app).line
    menu_id = client.create_rich_menu(COORDINATOR_MENU.definition("coordinator#test"))
    client.set_rich_menu_image(menu_id, IMAGES["coordinator"])
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
