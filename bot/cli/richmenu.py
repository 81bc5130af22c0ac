"""`flask richmenu deploy|user`: LINE rich menus (defined in bot/richmenu/spec.py)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from bot.richmenu.deploy import deploy
from bot.runtime.services import current_services

richmenu_cli = AppGroup("richmenu", help="LINE rich menus (defined in bot/richmenu/spec.py).")


@richmenu_cli.command("deploy")
@click.option("--relink", is_flag=True, help="Link every volunteer and coordinator again, even to unchanged menus.")
def deploy_richmenus_command(relink: bool) -> None:
    """Put every role's rich menus on LINE, make the citizen's the default and link users to theirs; a menu
    LINE already has unchanged is left alone."""
    services = current_services()
    if not services.line.enabled:
        raise click.ClickException("LINE_CHANNEL_ACCESS_TOKEN is not set: there is no LINE channel to deploy to")
    for step in deploy(services.line, services.db, relink=relink):
        click.echo(f"richmenu {step}")


@richmenu_cli.command("user")
@click.argument("user_id")
def show_user_richmenu_command(user_id: str) -> None:
    """Which rich menu LINE shows USER_ID: their own link, else the channel default."""
    services = current_services()
    if not services.line.enabled:
        raise click.ClickException("LINE_CHANNEL_ACCESS_TOKEN is not set: there is no LINE channel to ask")
    linked = services.line.user_rich_menu(user_id)
    menu_id = linked or services.line.default_rich_menu()
    if menu_id is None:
        click.echo(f"richmenu {user_id}: no menu (no link of their own and no default)")
        return
    names = {menu["richMenuId"]: menu["name"] for menu in services.line.rich_menus()}
    click.echo(f"richmenu {user_id}: {names.get(menu_id, 'unknown')} ({menu_id}, "
               f"{'linked' if linked else 'the channel default'})")
