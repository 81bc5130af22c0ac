"""In-memory rich menus, rich menu images, user links, the default menu and aliases.

Bodies were already validated against the spec and limits by the server; this only keeps
state and answers the state-dependent errors LINE documents (unknown menu, image uploaded
twice, linking a menu that has no image yet, alias id taken).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from .limits import USER_ID, check_rich_menu_image

Reply = tuple[int, Any]  # status and a JSON body, or (content type, bytes) for an image
NOT_FOUND: Reply = (404, {"message": "Not found"})
NO_IMAGE: Reply = (400, {"message": "must upload richmenu image before applying it to user"})


class RichMenuStore:
    def __init__(self) -> None:
        self.menus: dict[str, dict[str, Any]] = {}
        self.images: dict[str, tuple[str, bytes]] = {}  # richMenuId -> (content type, data)
        self.user_links: dict[str, str] = {}  # userId -> richMenuId
        self.default_id: str | None = None
        self.aliases: dict[str, str] = {}  # richMenuAliasId -> richMenuId
        self._handlers: dict[str, Callable[[dict[str, str], Any, str], Reply]] = {
            "createRichMenu": self._create, "getRichMenu": self._get,
            "getRichMenuList": self._list, "deleteRichMenu": self._delete,
            "setRichMenuImage": self._set_image, "getRichMenuImage": self._get_image,
            "linkRichMenuIdToUser": self._link, "unlinkRichMenuIdFromUser": self._unlink,
            "getRichMenuIdOfUser": self._user_menu, "linkRichMenuIdToUsers": self._bulk_link,
            "unlinkRichMenuIdFromUsers": self._bulk_unlink,
            "setDefaultRichMenu": self._set_default, "getDefaultRichMenuId": self._get_default,
            "cancelDefaultRichMenu": self._cancel_default,
            "createRichMenuAlias": self._create_alias, "updateRichMenuAlias": self._update_alias,
            "deleteRichMenuAlias": self._delete_alias, "getRichMenuAlias": self._get_alias,
            "getRichMenuAliasList": self._list_aliases,
        }

    def handle(self, operation_id: str, params: dict[str, str], body: Any,
               content_type: str) -> Reply | None:
        """The reply for a rich menu operation, or None when the operation is not one."""
        handler = self._handlers.get(operation_id)
        return handler(params, body, content_type) if handler else None

    def menu_for(self, user_id: str) -> str | None:
        """The menu a user sees: their own link first, else the default."""
        return self.user_links.get(user_id, self.default_id)

    def _usable(self, menu_id: str) -> Reply | None:
        if menu_id not in self.menus:
            return NOT_FOUND
        return None if menu_id in self.images else NO_IMAGE

    def _create(self, _: dict[str, str], body: Any, __: str) -> Reply:
        menu_id = "richmenu-" + secrets.token_hex(16)
        self.menus[menu_id] = {"richMenuId": menu_id, **body}
        return 200, {"richMenuId": menu_id}

    def _get(self, params: dict[str, str], _: Any, __: str) -> Reply:
        menu = self.menus.get(params["richMenuId"])
        return (200, menu) if menu else NOT_FOUND

    def _list(self, *_: Any) -> Reply:
        return 200, {"richmenus": list(self.menus.values())}

    def _delete(self, params: dict[str, str], _: Any, __: str) -> Reply:
        menu_id = params["richMenuId"]
        if self.menus.pop(menu_id, None) is None:
            return NOT_FOUND
        self.images.pop(menu_id, None)
        self.user_links = {u: m for u, m in self.user_links.items() if m != menu_id}
        if self.default_id == menu_id:
            self.default_id = None
        return 200, {}

    def _set_image(self, params: dict[str, str], body: Any, content_type: str) -> Reply:
        menu_id = params["richMenuId"]
        if menu_id not in self.menus:
            return NOT_FOUND
        if menu_id in self.images:
            return 400, {"message": "An image has already been uploaded to the richmenu"}
        problems = check_rich_menu_image(self.menus[menu_id], body)
        if problems:
            return 400, {"message": problems[0].detail}
        self.images[menu_id] = (content_type, body)
        return 200, {}

    def _get_image(self, params: dict[str, str], _: Any, __: str) -> Reply:
        image = self.images.get(params["richMenuId"])
        return (200, image) if image else NOT_FOUND

    def _link(self, params: dict[str, str], _: Any, __: str) -> Reply:
        if not USER_ID.match(params["userId"]):
            return 400, {"message": "The value for the 'userId' parameter is invalid"}
        error = self._usable(params["richMenuId"])
        if error:
            return error
        self.user_links[params["userId"]] = params["richMenuId"]
        return 200, {}

    def _unlink(self, params: dict[str, str], _: Any, __: str) -> Reply:
        self.user_links.pop(params["userId"], None)
        return 200, {}

    def _user_menu(self, params: dict[str, str], _: Any, __: str) -> Reply:
        menu_id = self.user_links.get(params["userId"])
        return (200, {"richMenuId": menu_id}) if menu_id else \
            (404, {"message": "the user has no richmenu"})

    def _bulk_link(self, _: dict[str, str], body: Any, __: str) -> Reply:
        error = self._usable(body["richMenuId"])
        if error:
            return error
        self.user_links.update({user: body["richMenuId"] for user in body["userIds"]})
        return 202, {}

    def _bulk_unlink(self, _: dict[str, str], body: Any, __: str) -> Reply:
        for user in body["userIds"]:
            self.user_links.pop(user, None)
        return 202, {}

    def _set_default(self, params: dict[str, str], _: Any, __: str) -> Reply:
        error = self._usable(params["richMenuId"])
        if error:
            return error
        self.default_id = params["richMenuId"]
        return 200, {}

    def _get_default(self, *_: Any) -> Reply:
        return (200, {"richMenuId": self.default_id}) if self.default_id else \
            (404, {"message": "no default richmenu"})

    def _cancel_default(self, *_: Any) -> Reply:
        self.default_id = None
        return 200, {}

    def _create_alias(self, _: dict[str, str], body: Any, __: str) -> Reply:
        if body["richMenuAliasId"] in self.aliases:
            return 400, {"message": "conflict richmenu alias id"}
        error = self._usable(body["richMenuId"])
        if error:
            return error
        self.aliases[body["richMenuAliasId"]] = body["richMenuId"]
        return 200, {}

    def _update_alias(self, params: dict[str, str], body: Any, _: str) -> Reply:
        if params["richMenuAliasId"] not in self.aliases:
            return NOT_FOUND
        error = self._usable(body["richMenuId"])
        if error:
            return error
        self.aliases[params["richMenuAliasId"]] = body["richMenuId"]
        return 200, {}

    def _delete_alias(self, params: dict[str, str], _: Any, __: str) -> Reply:
        return (200, {}) if self.aliases.pop(params["richMenuAliasId"], None) else NOT_FOUND

    def _get_alias(self, params: dict[str, str], _: Any, __: str) -> Reply:
        alias_id = params["richMenuAliasId"]
        if alias_id not in self.aliases:
            return NOT_FOUND
        return 200, {"richMenuAliasId": alias_id, "richMenuId": self.aliases[alias_id]}

    def _list_aliases(self, *_: Any) -> Reply:
        return 200, {"aliases": [{"richMenuAliasId": a, "richMenuId": m}
                                 for a, m in self.aliases.items()]}
