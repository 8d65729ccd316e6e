from hw4.analysis import analyse_text, clean_text


def test_clean_text():
    assert clean_text("  a\t\tb\x00c\n") == "a b c"


def test_analyse_counts_words_and_frequencies():
    result = analyse_text("The cat and the hat. The end!")
    assert result["words"] == 7 and result["sentences"] == 2
    assert result["top_words"][0] == ["the", 3]
    assert analyse_text("¡¿")["words"] == 0
