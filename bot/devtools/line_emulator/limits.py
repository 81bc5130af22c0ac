"""LINE's documented limits, checked in addition to the OpenAPI schema.

The spec leaves out much of what the Messaging API reference documents (label lengths, the
byte size of Flex containers, which actions are allowed where, fields the reference marks
required). Some limits below are also in the spec (5 messages, 13 quick reply items, 300-char
postback data, 500 multicast ids); they are kept so this module stands on its own, and the
server drops a limit problem when the schema already reported the same property.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .schema import Problem, json_path

Path = list[str | int]

MAX_MESSAGES = 5
MAX_TEXT_UTF16 = 5000
MAX_QUICK_REPLY_ITEMS = 13
MAX_POSTBACK_DATA = 300
MAX_ACTION_TEXT = 300  # message action `text`, postback `displayText`
MAX_URI = 1000
MAX_ALT_TEXT = 1500
MAX_BUBBLE_BYTES = 30 * 1024
MAX_CAROUSEL_BYTES = 50 * 1024
MAX_CAROUSEL_BUBBLES = 12
MAX_TEMPLATE_COLUMNS = 10
MAX_MULTICAST_TO = 500
MAX_RICH_MENU_AREAS = 20
MAX_RICH_MENU_IMAGE_BYTES = 1024 * 1024
# The reference's "label" rules depend on where the action sits.
LABEL_LIMITS = {"quickReply": 20, "template": 20, "imageCarousel": 12, "flex": 40, "richMenu": 20}
LABEL_REQUIRED = {"quickReply", "template"}
QUICK_REPLY_ONLY_ACTIONS = {"camera", "cameraRoll", "location"}
URI_SCHEMES = ("http://", "https://", "line://", "tel:")
USER_ID = re.compile(r"^U[0-9a-f]{32}$")
CHAT_ID = re.compile(r"^[UCR][0-9a-f]{32}$")  # user, group or room
RETRY_KEY = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
SENDING_PATHS = {"/v2/bot/message/reply", "/v2/bot/message/push", "/v2/bot/message/multicast",
                 "/v2/bot/message/broadcast", "/v2/bot/message/narrowcast"}
VALIDATE_PREFIX = "/v2/bot/message/validate/"
RICH_MENU_PATHS = {"/v2/bot/richmenu", "/v2/bot/richmenu/validate"}


def utf16_len(text: str) -> int:
    """LINE counts text length in UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def json_size(node: Any) -> int:
    return len(json.dumps(node, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _too_long(value: Any, limit: int, path: Path, out: list[Problem]) -> None:
    if isinstance(value, str) and len(value) > limit:
        message = f"must be at most {limit} characters, got {len(value)}"
        out.append(Problem(json_path(path), message))


def _require(node: Mapping[str, Any], names: tuple[str, ...], path: Path,
             out: list[Problem]) -> None:
    out.extend(Problem(json_path([*path, n]), "must be specified") for n in names if n not in node)


def _dicts(node: Any, path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every object in a JSON tree with its path, parents first."""
    if isinstance(node, dict):
        yield path, node
        children: Iterable[tuple[str | int, Any]] = node.items()
    elif isinstance(node, list):
        children = enumerate(node)
    else:
        return
    for key, value in children:
        # No generator and path copy for each scalar; a (dict, list) tuple, as `dict | list` is slower.
        if isinstance(value, (dict, list)):
            yield from _dicts(value, [*path, key])


def _actions(node: Any, path: Path) -> Iterator[tuple[Path, dict[str, Any], bool]]:
    """Action objects anywhere below `node`: (path, action, is_default_action)."""
    for where, obj in _dicts(node, path):
        for key in ("action", "defaultAction"):
            if isinstance(obj.get(key), dict):
                yield [*where, key], obj[key], key == "defaultAction"
        if isinstance(obj.get("actions"), list):
            for i, action in enumerate(obj["actions"]):
                if isinstance(action, dict):
                    yield [*where, "actions", i], action, False


def check_action(action: Mapping[str, Any], path: Path, where: str, out: list[Problem],
                 label_optional: bool = False) -> None:
    """`where` is a key of LABEL_LIMITS: the kind of object the action belongs to."""
    atype = action.get("type")
    if "label" in action:
        _too_long(action["label"], LABEL_LIMITS[where], [*path, "label"], out)
    elif where in LABEL_REQUIRED and not label_optional:
        _require(action, ("label",), path, out)
    if atype == "postback":
        _require(action, ("data",), path, out)
        _too_long(action.get("data"), MAX_POSTBACK_DATA, [*path, "data"], out)
        _too_long(action.get("displayText"), MAX_ACTION_TEXT, [*path, "displayText"], out)
        if "displayText" in action and "text" in action:
            out.append(Problem(json_path([*path, "text"]), "cannot be used with displayText"))
        if where == "quickReply" and "displayText" not in action:
            _require(action, ("displayText",), path, out)
    elif atype == "message":
        _require(action, ("text",), path, out)
        _too_long(action.get("text"), MAX_ACTION_TEXT, [*path, "text"], out)
    elif atype == "uri":
        _require(action, ("uri",), path, out)
        uri = action.get("uri")
        _too_long(uri, MAX_URI, [*path, "uri"], out)
        if isinstance(uri, str) and not uri.startswith(URI_SCHEMES):
            out.append(Problem(json_path([*path, "uri"]), "must be http(s), line or tel"))
    elif atype == "datetimepicker":
        _require(action, ("data", "mode"), path, out)
    elif atype in QUICK_REPLY_ONLY_ACTIONS and where != "quickReply":
        out.append(Problem(json_path([*path, "type"]), f"{atype} action is only for quick reply"))
    elif atype == "richmenuswitch":
        if where != "richMenu":
            out.append(Problem(json_path([*path, "type"]), "richmenuswitch is only for rich menus"))
        _require(action, ("richMenuAliasId", "data"), path, out)


def _check_flex(container: Any, path: Path, out: list[Problem]) -> None:
    if not isinstance(container, dict):
        return
    if container.get("type") == "bubble" and json_size(container) > MAX_BUBBLE_BYTES:
        out.append(Problem(json_path(path), f"bubble JSON exceeds {MAX_BUBBLE_BYTES} B"))
    if container.get("type") == "carousel":
        if json_size(container) > MAX_CAROUSEL_BYTES:
            out.append(Problem(json_path(path), f"carousel JSON exceeds {MAX_CAROUSEL_BYTES} B"))
        bubbles = container.get("contents")
        if isinstance(bubbles, list) and len(bubbles) > MAX_CAROUSEL_BUBBLES:
            out.append(Problem(json_path([*path, "contents"]),
                               f"at most {MAX_CAROUSEL_BUBBLES} bubbles, got {len(bubbles)}"))
    for where, obj in _dicts(container, path):
        if where and where[-1] == "action":
            check_action(obj, where, "flex", out)
        elif obj.get("type") == "text" and "text" not in obj and "contents" not in obj:
            # The spec makes `text` optional; the reference requires text or span contents.
            out.append(Problem(json_path([*where, "text"]), "must be specified"))
        elif obj.get("type") == "span":
            _require(obj, ("text",), where, out)


def _check_template(template: Any, path: Path, out: list[Problem]) -> None:
    if not isinstance(template, dict):
        return
    ttype = template.get("type")
    where = "imageCarousel" if ttype == "image_carousel" else "template"
    for apath, action, is_default in _actions(template, path):
        check_action(action, apath, where, out, label_optional=is_default)
    actions = template.get("actions")
    if ttype == "buttons" and isinstance(actions, list) and len(actions) > 4:
        out.append(Problem(json_path([*path, "actions"]), f"at most 4 actions, got {len(actions)}"))
    if ttype == "confirm" and isinstance(actions, list) and len(actions) != 2:
        out.append(Problem(json_path([*path, "actions"]), f"exactly 2 actions, got {len(actions)}"))
    columns = template.get("columns")
    if ttype in ("carousel", "image_carousel") and isinstance(columns, list):
        if len(columns) > MAX_TEMPLATE_COLUMNS:
            out.append(Problem(json_path([*path, "columns"]),
                               f"at most {MAX_TEMPLATE_COLUMNS} columns, got {len(columns)}"))
        counts = {len(c.get("actions", [])) for c in columns if isinstance(c, dict)}
        if ttype == "carousel" and (len(counts) > 1 or max(counts, default=0) > 3):
            out.append(Problem(json_path([*path, "columns"]),
                               "every column needs the same number of actions, at most 3"))


def check_message(message: Any, path: Path, out: list[Problem]) -> None:
    if not isinstance(message, dict):
        return
    mtype = message.get("type")
    text = message.get("text")
    if mtype in ("text", "textV2") and isinstance(text, str) and utf16_len(text) > MAX_TEXT_UTF16:
        out.append(Problem(json_path([*path, "text"]),
                           f"must be at most {MAX_TEXT_UTF16} UTF-16 units, got {utf16_len(text)}"))
    _too_long(message.get("altText"), MAX_ALT_TEXT, [*path, "altText"], out)
    quick = message.get("quickReply")
    items = quick.get("items") if isinstance(quick, dict) else None
    if isinstance(items, list):
        if len(items) > MAX_QUICK_REPLY_ITEMS:
            out.append(Problem(json_path([*path, "quickReply", "items"]),
                               f"at most {MAX_QUICK_REPLY_ITEMS} items, got {len(items)}"))
        for i, item in enumerate(items):
            ipath: Path = [*path, "quickReply", "items", i]
            if not isinstance(item, dict):
                continue
            _require(item, ("type", "action"), ipath, out)
            if isinstance(item.get("action"), dict):
                check_action(item["action"], [*ipath, "action"], "quickReply", out)
    if mtype == "template":
        _check_template(message.get("template"), [*path, "template"], out)
    elif mtype == "flex":
        _check_flex(message.get("contents"), [*path, "contents"], out)


def check_rich_menu(menu: Any, out: list[Problem]) -> None:
    if not isinstance(menu, dict):
        return
    # Required by the reference although RichMenuRequest in the spec requires nothing.
    _require(menu, ("size", "selected", "name", "chatBarText", "areas"), [], out)
    size = menu.get("size")
    if isinstance(size, dict) and isinstance(size.get("width"), int) \
            and isinstance(size.get("height"), int):
        width, height = size["width"], size["height"]
        if not 800 <= width <= 2500 or height < 250 or width / height < 1.45:
            out.append(Problem("size", "width 800-2500, height >= 250, width/height >= 1.45"))
    areas = menu.get("areas")
    if isinstance(areas, list):
        if len(areas) > MAX_RICH_MENU_AREAS:
            out.append(Problem("areas", f"at most {MAX_RICH_MENU_AREAS} areas, got {len(areas)}"))
        for i, area in enumerate(areas):
            if isinstance(area, dict):
                _require(area, ("bounds", "action"), ["areas", i], out)
                if isinstance(area.get("action"), dict):
                    check_action(area["action"], ["areas", i, "action"], "richMenu", out)


def check_request(path: str, body: Any, headers: Mapping[str, str]) -> list[Problem]:
    """Limit problems of one request; `headers` must have lower-cased names."""
    out: list[Problem] = []
    retry_key = headers.get("x-line-retry-key")
    if retry_key is not None and not RETRY_KEY.match(retry_key):
        out.append(Problem("X-Line-Retry-Key", "must be a UUID"))
    if not isinstance(body, dict):
        return out
    if path in SENDING_PATHS or path.startswith(VALIDATE_PREFIX):
        messages = body.get("messages")
        if isinstance(messages, list):
            if len(messages) > MAX_MESSAGES:
                out.append(Problem("messages", f"at most {MAX_MESSAGES}, got {len(messages)}"))
            for i, message in enumerate(messages):
                check_message(message, ["messages", i], out)
    to = body.get("to")
    if path == "/v2/bot/message/push" and isinstance(to, str) and not CHAT_ID.match(to):
        out.append(Problem("to", "must be a user, group or room ID"))
    if path == "/v2/bot/message/multicast" and isinstance(to, list):
        if len(to) > MAX_MULTICAST_TO:
            out.append(Problem("to", f"at most {MAX_MULTICAST_TO} user IDs, got {len(to)}"))
        out.extend(Problem(f"to[{i}]", "must be a user ID") for i, uid in enumerate(to)
                   if not (isinstance(uid, str) and USER_ID.match(uid)))
    if path == "/v2/bot/chat/loading/start":
        chat_id = body.get("chatId")
        if isinstance(chat_id, str) and not USER_ID.match(chat_id):
            out.append(Problem("chatId", "must be a user ID (one-on-one chats only)"))
        seconds = body.get("loadingSeconds")
        if isinstance(seconds, int) and seconds % 5:
            out.append(Problem("loadingSeconds", "must be a multiple of 5"))
    if path in RICH_MENU_PATHS:
        check_rich_menu(body, out)
    return out


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of PNG or baseline/progressive JPEG data, None when unreadable."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    pos = 2
    while data.startswith(b"\xff\xd8") and pos + 9 <= len(data) and data[pos] == 0xFF:
        marker, length = data[pos + 1], int.from_bytes(data[pos + 2:pos + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return (int.from_bytes(data[pos + 7:pos + 9], "big"),
                    int.from_bytes(data[pos + 5:pos + 7], "big"))
        pos += 2 + length
    return None


def check_rich_menu_image(menu: Mapping[str, Any], data: bytes) -> list[Problem]:
    out: list[Problem] = []
    if len(data) > MAX_RICH_MENU_IMAGE_BYTES:
        out.append(Problem("", f"image must be at most 1 MB, got {len(data)} bytes"))
    size = menu.get("size", {})
    dims = image_size(data)
    if dims is None:
        out.append(Problem("", "image dimensions could not be read"))
    elif dims != (size.get("width"), size.get("height")):
        out.append(Problem("", f"image is {dims[0]}x{dims[1]}, the rich menu size is "
                               f"{size.get('width')}x{size.get('height')}"))
    return out
