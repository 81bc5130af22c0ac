"""`flask chat`: placeholder replaced below."""
import click


@click.command("chat")
def chat_command() -> None:
    """Chat with the running bot as a LINE user."""
