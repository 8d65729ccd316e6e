"""An evaluation of hw4.detection on text it was not written with (issue 14).

* `benign`: ordinary chat and work messages full of numbers, dates, ids and code; none
  should be blocked.
* `generate`: the labelled evaluation set (Faker in many locales, python-stdnum ids, secret
  token shapes, templates in many languages), split by template into a tuning half and a
  reporting half.
* `scoring`: per-type and message-level scores.

Everything is generated in code from a fixed seed; nothing is read from disk or the network.
"""
