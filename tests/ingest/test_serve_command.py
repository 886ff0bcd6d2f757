"""``disan serve`` refuses an address it cannot listen on, before saying it serves."""

import socket

import pytest
from django.core.management import CommandError, call_command


def test_a_port_another_program_listens_on_is_refused(capsys):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]

        with pytest.raises(CommandError) as raised:
            call_command("serve", "--port", str(port), "--no-worker")

    assert raised.value.returncode == 2
    assert f"Cannot serve at 127.0.0.1:{port}" in str(raised.value)
    assert "--port" in str(raised.value)
    assert "serving" not in capsys.readouterr().out


def test_a_host_that_does_not_resolve_is_refused():
    with pytest.raises(CommandError) as raised:
        call_command("serve", "--host", "no-such-host.invalid", "--no-worker")

    assert raised.value.returncode == 2
    assert "Cannot serve at no-such-host.invalid" in str(raised.value)
