"""Every kind of personal data `detect` looks for, each declared once, most specific first.

When two findings overlap, the kind declared first wins: kinds with a checksum beat
free-form ones (KEYWORD, the sensitive words themselves, loses to every kind). Each
finder runs only when the text's `Scan` passes its test (`when`), so a chat message without
digits or trigger words skips nearly all of them. contact.find_phone skips the digit runs
held by the kinds before it, so PHONE stays after every kind whose values are digit runs.

To add a kind, declare it at the end of this module: docs/detection.md ("Adding a kind of
personal data") has the recipe. The words that name the kinds below are in keywords.py,
sorted by language (many of them name more than one kind).
"""

from __future__ import annotations

from hw4.detection import (
    address,
    contact,
    credentials,
    finance,
    identity,
    national_ids,
    network,
)
from hw4.detection.base import (
    ADDRESS,
    CREDIT_CARD,
    DATE_OF_BIRTH,
    EMAIL,
    IBAN,
    IP_ADDRESS,
    PASSWORD,
    PERSON_ID,
    PHONE,
    SECRET,
    SSN,
)
from hw4.detection.masking import card_mask, email_mask, number_mask, password_mask
from hw4.detection.registry import Finder, Kind, register

register(Kind(SECRET, find=(
    Finder(credentials.find_secret, lambda s: credentials.LONG_TOKEN.search(s.text) is not None),
    # the value must contain a digit (credentials._high_entropy)
    Finder(credentials.find_secret_after_word,
           lambda s: s.digits and s.has(credentials.SECRET_TRIGGERS)),
)))
register(Kind(CREDIT_CARD, find=(Finder(finance.find_card, lambda s: s.numberish),),
              mask=card_mask))
register(Kind(IBAN, find=(Finder(finance.find_iban, lambda s: s.numberish),), mask=number_mask))
register(Kind(PERSON_ID, mask=number_mask, find=(
    Finder(identity.find_strong_id, lambda s: s.numberish),
    Finder(identity.find_context_id, lambda s: s.numberish and s.has(identity.ID_TRIGGERS)),
    Finder(identity.find_passport,
           lambda s: s.numberish and s.has(identity.PASSPORT_TRIGGERS)),
    Finder(national_ids.find_named_id,
           lambda s: s.numberish and s.has(national_ids.NAMED_ID_TRIGGERS)),
)))
register(Kind(SSN, find=(Finder(identity.find_ssn, lambda s: s.numberish),), mask=number_mask))
register(Kind(EMAIL, mask=email_mask, find=(
    Finder(contact.find_email, lambda s: "@" in s.text),
    Finder(contact.find_spelled_email, lambda s: "dot" in s.words),
)))
register(Kind(PASSWORD, mask=password_mask, find=(
    Finder(credentials.find_password, lambda s: s.has(credentials.PASSWORD_TRIGGERS)),
    Finder(credentials.find_login,
           lambda s: credentials.LOGIN_ANYWHERE.search(s.folded) is not None),
    Finder(credentials.find_url_credentials, lambda s: "://" in s.text),
)))
# an IPv6 address may be all hex letters
register(Kind(IP_ADDRESS, find=(
    Finder(network.find_ip, lambda s: s.digits or s.text.count(":") >= 2),)))
register(Kind(DATE_OF_BIRTH, find=(
    Finder(identity.find_dob, lambda s: s.digits and s.has(identity.DOB_TRIGGERS)),)))
# (core.detect hands find_phone the values kept so far)
register(Kind(PHONE, find=(Finder(contact.find_phone, lambda s: s.numberish),),
              mask=number_mask))
register(Kind(ADDRESS, find=(
    # one of these two, depending on whether a German/Dutch form can match
    Finder(address.find_address,
           lambda s: s.digits and address.DE_NL_STREET.search(s.folded) is not None),
    Finder(address.find_address_not_de_nl, lambda s: s.digits and (
        s.has(address.STREET_TRIGGERS) or address.US_ADDRESS_END.search(s.text) is not None)
        and address.DE_NL_STREET.search(s.folded) is None),
    Finder(address.find_address_after_intro,
           lambda s: s.digits and s.has(address.INTRO_TRIGGERS)),
)))
