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


@pytest.mark.parametrize(
    "option, value",
    [
        ("--port", "70000"),
        ("--port", "-1"),
        ("--port", "0"),
        ("--port", "http"),
        ("--workers", "0"),
        ("--workers", "-2"),
        ("--threads", "0"),
    ],
)
def test_out_of_range_numbers_are_refused(capsys, option, value):
    with pytest.raises(CommandError) as raised:
        call_command("serve", option, value, "--no-worker")

    assert f"argument {option}: {value!r} is not" in str(raised.value)
    assert "serving" not in capsys.readouterr().out


def test_the_port_in_use_hint_is_given_only_for_a_port_in_use():
    from disan.ingest.management.commands.serve import check_address

    # TEST-NET-1: never an address of this machine.
    with pytest.raises(CommandError) as raised:
        check_address("192.0.2.1", 8000)

    message = str(raised.value)
    assert raised.value.returncode == 2
    assert "Another program" not in message
    assert "192.0.2.1 is not an address of this machine" in message
    assert "--host" in message
