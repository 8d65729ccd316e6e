"""Ordinary chat and work messages that hold no personal data: `benign_corpus()`.

Templates (several languages) x values (dates and times in many formats, versions, amounts,
order and ticket numbers, room and section numbers, postal codes alone, hashes, ports, shell
commands, code). A message is "blocked" when `detect` finds anything in it, which is what
service_1 does with its default keyword policy ("block"), so the templates avoid the
sensitive words themselves ("password", "IBAN", ...).

Run `python -m tests.pii_eval.benign` to print a sample.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from functools import cache

SEED = 20261130
SIZE = 2400

Maker = Callable[[random.Random], str]


def _date(rng: random.Random) -> str:
    y, m, d = rng.randint(2015, 2030), rng.randint(1, 12), rng.randint(1, 28)
    hh, mm = rng.randint(0, 23), rng.choice([0, 15, 30, 45, rng.randint(0, 59)])
    return rng.choice([
        f"{y}-{m:02d}-{d:02d}", f"{y}-{m:02d}-{d:02d} {hh:02d}:{mm:02d}",
        f"{y}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:00Z", f"{d:02d}.{m:02d}.{y}",
        f"{d:02d}/{m:02d}/{y}", f"{m}/{d}/{y}", f"{d}.{m}.{y % 100:02d}",
        f"{y}/{m:02d}/{d:02d} {hh:02d}:{mm:02d}", f"{d:02d}-{m:02d}-{y} {hh:02d}h{mm:02d}",
        f"{y}{m:02d}{d:02d}", f"{y}-{m:02d}-{d:02d} {hh:02d}:{mm:02d} UTC",
        f"{y}-{m:02d}-{d:02d} {hh:02d}:{mm:02d}:{rng.randint(0, 59):02d}.{rng.randint(0, 999):03d}",
        f"{d:02d}.{m:02d}.{y} {hh:02d}:{mm:02d}", f"{m:02d}/{d:02d}/{y} {hh % 12 + 1}:{mm:02d} PM",
    ])


def _time(rng: random.Random) -> str:
    hh, mm = rng.randint(0, 23), rng.randint(0, 59)
    return rng.choice([f"{hh:02d}:{mm:02d}", f"{hh}h{mm:02d}", f"{hh % 12 + 1}:{mm:02d} am",
                       f"{hh:02d}:{mm:02d}-{(hh + 1) % 24:02d}:{mm:02d}", f"{hh}.{mm:02d}"])


def _version(rng: random.Random) -> str:
    a, b, c, d = (rng.randint(0, 20) for _ in range(4))
    return rng.choice([f"{a}.{b}.{c}", f"v{a}.{b}.{c}", f"{a}.{b}.{c}.{d}", f"{a}.{b}",
                       f"{a}.{b}.{c}-rc.{d}", f"{a}.{b}.{c}+build.{rng.randint(100, 9999)}",
                       f"20{rng.randint(18, 26)}.{rng.randint(1, 12)}.{d}"])


def _amount(rng: random.Random) -> str:
    n = rng.randint(1, 9_999_999)
    cents = rng.randint(0, 99)
    return rng.choice([f"${n:,}.{cents:02d}", f"€{n:,}", f"{n:,}.{cents:02d} EUR",
                       f"{n:,}".replace(",", ".") + f",{cents:02d} €", f"£{n}", f"{n} ₽",
                       f"CHF {n:,}".replace(",", "'"), f"¥{n:,}", f"{n / 1000:.1f}k USD"])


def _order(rng: random.Random) -> str:
    digits = str(rng.randint(10 ** 5, 10 ** rng.randint(6, 11)))
    return rng.choice([digits, f"#{digits}", f"ORD-{rng.randint(2019, 2026)}-{digits[:6]}",
                       f"INV{digits}", f"{rng.choice(string.ascii_uppercase)}{digits}",
                       f"PO {digits[:4]}-{digits[4:]}"])


def _ticket(rng: random.Random) -> str:
    return rng.choice([f"JIRA-{rng.randint(1, 99999)}", f"#{rng.randint(1, 99999)}",
                       f"{rng.randint(10 ** 9, 10 ** 10 - 1)}",
                       f"INC{rng.randint(10 ** 6, 10 ** 7 - 1)}",
                       f"CASE-{rng.randint(10 ** 7, 10 ** 8 - 1)}"])


def _room(rng: random.Random) -> str:
    return rng.choice([f"{rng.randint(1, 9)}.{rng.randint(1, 9)}.{rng.randint(1, 9)}."
                       f"{rng.randint(1, 9)}", f"{rng.randint(1, 9)}.{rng.randint(10, 99)}",
                       f"B{rng.randint(100, 999)}", f"{rng.randint(1, 40)}-{rng.randint(1, 60)}"])


def _section(rng: random.Random) -> str:
    return rng.choice([f"§ {rng.randint(1, 300)}", f"{rng.randint(1, 12)}.{rng.randint(1, 9)}."
                       f"{rng.randint(1, 9)}", f"{rng.randint(1, 9)}.{rng.randint(1, 9)}."
                       f"{rng.randint(1, 9)}.{rng.randint(1, 9)}", f"RFC {rng.randint(700, 9999)}",
                       f"ISO {rng.randint(1000, 99999)}:{rng.randint(1990, 2024)}"])


def _postal(rng: random.Random) -> str:
    return rng.choice([f"{rng.randint(10000, 99999)}", f"{rng.randint(1000, 9999)} "
                       f"{rng.choice(string.ascii_uppercase)}{rng.choice(string.ascii_uppercase)}",
                       f"{rng.randint(1000, 9999)}-{rng.randint(100, 999)}",
                       f"SW{rng.randint(1, 20)} {rng.randint(1, 9)}AA",
                       f"{rng.randint(100, 999)} {rng.randint(10, 99)}"])


def _hexid(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(rng.choice([7, 8, 12, 40])))


def _uuid(rng: random.Random) -> str:
    h = "".join(rng.choice("0123456789abcdef") for _ in range(32))
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _number(rng: random.Random) -> str:
    return rng.choice([str(rng.randint(0, 10 ** rng.randint(1, 9))),
                       f"{rng.uniform(0, 100):.2f}%", f"{rng.randint(1, 500)} ms",
                       f"{rng.randint(1, 64)} GB", f"{rng.uniform(-20, 40):.1f} °C",
                       f"{rng.randint(1, 9)}x{rng.randint(1, 9)}",
                       f"{rng.randint(100, 999)}/{rng.randint(100, 999)}",
                       f"{rng.randint(1000, 99999):,}"])


def _command(rng: random.Random) -> str:
    port = rng.randint(1024, 65535)
    return rng.choice([
        f"docker run -p {port}:{port} hw4:{_version(rng)}",
        f"git checkout {_hexid(rng)}", "git log --oneline -n 20",
        f"kubectl scale deploy/api --replicas={rng.randint(1, 9)}",
        f"curl -s http://localhost:{port}/health", f"pip install flask=={_version(rng)}",
        f"export PORT={port}", f"ssh -p {rng.randint(2000, 2999)} deploy@build-{rng.randint(1, 9)}",
        f"tail -n {rng.randint(10, 500)} logs/service_1.log", "ls -la /var/log | wc -l",
        f"python -m pytest tests/ -k 'not slow' -n {rng.randint(2, 8)}",
        f"chmod {rng.choice(['644', '755', '600'])} run.sh",
        f"sleep {rng.randint(1, 60)} && make test", "export DATABASE_URL=${DATABASE_URL:-sqlite://}",
        f"sed -n {rng.randint(1, 99)},{rng.randint(100, 300)}p app.py",
        f"du -sh * | sort -h | tail -{rng.randint(3, 9)}",
    ])


def _code(rng: random.Random) -> str:
    n = rng.randint(0, 1000)
    return rng.choice([
        f"for i in range({n}): total += i * {rng.randint(2, 9)}",
        f"if (x > {n}) {{ return arr[{rng.randint(0, 9)}]; }}",
        f"timeout = {rng.randint(1, 120)}  # seconds", f"const PORT = {rng.randint(1024, 65535)};",
        f"SELECT * FROM orders WHERE id = {rng.randint(1, 10 ** 8)} LIMIT 10;",
        f"assert len(items) == {n}", f"x = np.zeros(({n}, {rng.randint(1, 64)}))",
        f"return {{'status': {rng.choice([200, 201, 404, 500])}, 'count': {n}}}",
        f"logger.info('done in %.2f s', {rng.uniform(0, 9):.3f})",
        f"rgba({rng.randint(0, 255)}, {rng.randint(0, 255)}, {rng.randint(0, 255)}, 0.5)",
        f"color: #{_hexid(rng)[:6]};", f"@app.get('/items/<int:item_id>')  # line {n}",
        f"matrix[{rng.randint(0, 9)}][{rng.randint(0, 9)}] = {rng.uniform(0, 1):.4f}",
        f"sleep({rng.randint(1, 9)}000)", f"key = f'{{user_id}}:{{day}}'  # cache key {n}",
    ])


MAKERS: dict[str, Maker] = {
    "date": _date, "time": _time, "version": _version, "amount": _amount, "order": _order,
    "ticket": _ticket, "room": _room, "section": _section, "postal": _postal, "hex": _hexid,
    "uuid": _uuid, "n": _number, "cmd": _command, "code": _code,
}

# {kind} is replaced by a value of that kind; a template may use several kinds
TEMPLATES = (
    # EN
    "The meeting is on {date}", "deploy {date} UTC", "ticket {ticket} closed",
    "room {room} is free after {time}", "bumped to {version}, see the changelog",
    "invoice total {amount}, due {date}", "order {order} shipped on {date}",
    "see section {section} of the spec", "the office is in the {postal} area",
    "fixed in commit {hex}", "request id {uuid} failed after {n}", "run `{cmd}` first",
    "this line breaks: {code}", "standup at {time}, retro at {time}",
    "latency p99 went from {n} to {n} after {version}", "can you review PR {ticket}?",
    "we sold {n} units for {amount} in Q{n}", "build {version} passed, {n} tests",
    "reminder: {date} is the deadline for {ticket}", "{cmd}", "{code}",
    "ok, {time} works for me", "lunch at {time}? table for {n}",
    "parcel {order} arrives between {time}", "the flight lands {date}",
    "budget for {date}: {amount}", "see {section}, page {n}",
    "moved from room {room} to {room}", "pinned the image to {version} ({hex})",
    "postcode {postal} is outside the delivery zone", "cron fires at {time} daily since {date}",
    # DE
    "Das Meeting ist am {date}", "Ticket {ticket} ist erledigt", "Raum {room} ab {time} frei",
    "Rechnung über {amount}, fällig am {date}", "Bestellung {order} wurde versandt",
    "siehe Abschnitt {section}", "Version {version} ist live", "PLZ {postal} liefern wir nicht",
    # FR
    "La réunion est le {date} à {time}", "commande {order} expédiée le {date}",
    "facture de {amount}, échéance {date}", "salle {room} réservée à {time}",
    "voir la section {section}", "passé en {version} hier", "le ticket {ticket} est fermé",
    # ES
    "La reunión es el {date}", "pedido {order} enviado el {date}", "factura por {amount}",
    "sala {room} a las {time}", "ver el apartado {section}", "actualizado a {version}",
    # IT
    "La riunione è il {date}", "ordine {order} spedito il {date}", "fattura di {amount}",
    "aula {room} alle {time}", "vedi la sezione {section}", "aggiornato alla {version}",
    # PT
    "A reunião é em {date}", "encomenda {order} enviada em {date}", "fatura de {amount}",
    "sala {room} às {time}", "ver a secção {section}",
    # NL
    "De vergadering is op {date}", "bestelling {order} verzonden op {date}",
    "factuur van {amount}", "lokaal {room} om {time}",
    # RU, EL, AR, HE, HI, ZH, JA, KO, TR, PL
    "Встреча {date} в {time}", "заказ {order} отправлен {date}", "счёт на {amount}",
    "Η συνάντηση είναι στις {date}", "παραγγελία {order} στάλθηκε",
    "الاجتماع في {date} الساعة {time}", "الطلب {order} تم شحنه",
    "הפגישה ב-{date} בשעה {time}", "הזמנה {order} נשלחה",
    "बैठक {date} को {time} बजे है", "ऑर्डर {order} भेज दिया गया",
    "会议在 {date} {time}", "订单 {order} 已于 {date} 发货", "发票金额 {amount}",
    "会議は {date} の {time} からです", "注文番号 {order} は発送済みです",
    "회의는 {date} {time}에 있습니다", "주문 {order} 배송 완료",
    "Toplantı {date} saat {time}", "zamówienie {order} wysłane {date}",
)


@cache
def benign_corpus() -> tuple[str, ...]:
    """SIZE messages, the same on every run (fixed seed)."""
    rng = random.Random(SEED)
    out = []
    for i in range(SIZE):
        template = TEMPLATES[i % len(TEMPLATES)]
        text = template
        while "{" in text and any("{" + k + "}" in text for k in MAKERS):
            kind = next(k for k in MAKERS if "{" + k + "}" in text)
            text = text.replace("{" + kind + "}", MAKERS[kind](rng), 1)
        out.append(text)
    return tuple(out)


if __name__ == "__main__":
    for text in benign_corpus()[:60]:
        print(text)
