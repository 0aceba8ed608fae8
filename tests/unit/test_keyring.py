"""Intake's store is encrypted at rest with a ring of keys (R15.1): the first key encrypts, every
key decrypts, and records written before encryption are still read."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from eventsourcing.utils import Environment
from pydantic import SecretStr

from shared.eventstore.keyring import (
    KeyRing,
    KeyRingCipher,
    KeyRingError,
    key_id,
    new_key,
    record_key,
)
from shared.eventstore.keys import create_key_file, load_ring, read_key_file, replace_key_file
from shared.kernel.settings import Settings
from shared.messaging.errors import StartRefused

STATE = json.dumps({"reporter": {"name": "李四", "phone": "13912345678"}}, ensure_ascii=False)
PLAIN = STATE.encode()


def cipher(ring: KeyRing, source: str = "key file keys/intake.key") -> KeyRingCipher:
    return KeyRingCipher(Environment("intake", ring.env(source)))


def test_a_record_is_encrypted_under_the_current_key_and_holds_no_personal_data() -> None:
    ring = KeyRing((new_key(), new_key()))
    stored = cipher(ring).encrypt(PLAIN)

    assert record_key(stored) == ring.ids[0]
    assert "李四".encode() not in stored and b"13912345678" not in stored
    assert cipher(ring).decrypt(stored) == PLAIN


def test_a_new_key_encrypts_while_the_old_one_still_reads() -> None:
    old = KeyRing((new_key(),))
    written_before = cipher(old).encrypt(PLAIN)
    rotated = old.with_new_key(new_key())

    written_after = cipher(rotated).encrypt(PLAIN)

    assert record_key(written_after) == rotated.ids[0] != old.ids[0]
    assert cipher(rotated).decrypt(written_before) == PLAIN
    assert cipher(rotated).decrypt(written_after) == PLAIN


def test_plaintext_written_before_the_store_was_encrypted_is_read_as_it_is() -> None:
    assert record_key(PLAIN) is None
    assert cipher(KeyRing((new_key(),))).decrypt(PLAIN) == PLAIN


def test_a_record_under_a_key_not_given_names_that_key_and_where_the_keys_came_from() -> None:
    lost = KeyRing((new_key(),))
    stored = cipher(lost).encrypt(PLAIN)

    with pytest.raises(KeyRingError) as refused:
        cipher(KeyRing((new_key(),))).decrypt(stored)

    assert lost.ids[0] in str(refused.value)
    assert "key file keys/intake.key" in str(refused.value)


def test_a_damaged_record_is_refused_not_misread() -> None:
    ring = KeyRing((new_key(),))
    stored = bytearray(cipher(ring).encrypt(PLAIN))
    stored[-1] ^= 0x01

    with pytest.raises(KeyRingError, match="damaged"):
        cipher(ring).decrypt(bytes(stored))
    with pytest.raises(KeyRingError, match="neither"):
        record_key(b"\x89PNG")


def test_a_ring_is_read_from_lines_commas_and_comments() -> None:
    a, b = new_key(), new_key()

    ring = KeyRing.parse(f"# intake\n{a}  # {key_id(a)} current\n\n{b},{a}\n")

    assert ring.keys == (a, b)
    assert ring.ids == (key_id(a), key_id(b))
    assert KeyRing.parse(ring.render("intake")) == ring


@pytest.mark.parametrize(
    ("text", "reason"),
    [("", "no key"), ("not-base64!", "not base64"), ("c2hvcnQ=", "5 bytes")],
)
def test_a_key_that_is_no_aes_key_is_refused(text: str, reason: str) -> None:
    with pytest.raises(KeyRingError, match=reason):
        KeyRing.parse(text)


def test_retiring_keys_never_drops_the_current_one() -> None:
    ring = KeyRing((new_key(), new_key(), new_key()))

    assert ring.without(set(ring.ids)).keys == (ring.current,)
    assert ring.without({ring.ids[2]}).keys == ring.keys[:2]


# -- where the keys come from ----------------------------------------------------------------


def test_without_a_key_a_key_file_is_made_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var")

    first, source = load_ring(settings, "intake")
    again, _ = load_ring(settings, "intake")

    assert source.file == tmp_path / "var" / "keys" / "intake.key"
    assert again == first  # never overwritten
    assert stat.S_IMODE(source.file.stat().st_mode) == 0o600
    assert stat.S_IMODE(source.file.parent.stat().st_mode) == 0o700


def test_a_key_in_the_environment_comes_before_any_file(tmp_path: Path) -> None:
    key = new_key()
    settings = Settings(data_dir=tmp_path, intake_key=SecretStr(key))

    ring, source = load_ring(settings, "intake")

    assert ring.keys == (key,)
    assert str(source) == "PROPDESK_INTAKE_KEY"
    assert not (tmp_path / "keys").exists()


def test_a_key_file_named_but_missing_or_open_to_everyone_refuses_the_start(
    tmp_path: Path,
) -> None:
    named = tmp_path / "intake.key"
    settings = Settings(data_dir=tmp_path, intake_key_file=named)
    with pytest.raises(StartRefused, match="does not exist"):
        load_ring(settings, "intake")
    assert not named.exists()  # a key file named is never made up

    named.write_text(new_key())
    named.chmod(0o644)
    with pytest.raises(StartRefused, match="chmod 600"):
        load_ring(settings, "intake")


def test_a_key_file_is_never_replaced_when_made_and_replaced_whole_when_rotated(
    tmp_path: Path,
) -> None:
    path = tmp_path / "keys" / "intake.key"
    first, second = KeyRing((new_key(),)), KeyRing((new_key(),))

    assert create_key_file(path, first.render("intake")) is True
    assert create_key_file(path, second.render("intake")) is False
    assert read_key_file(path) == first

    path.chmod(0o640)
    rotated = first.with_new_key(new_key())
    replace_key_file(path, rotated.render("intake"))

    assert read_key_file(path) == rotated
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["intake.key"]  # no temporary left
