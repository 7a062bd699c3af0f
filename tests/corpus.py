"""A multilingual corpus of our own: short posts as people write them, each with the
language a careful reader would give it (None where a reader could not tell).

Urdu appears with and without harakat, with Arabic-keyboard letters (ك ي ه instead of
ک ی ہ) and with tatweel and zero-width joiners, so search tests can check that every
spelling of a word meets.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    key: str
    text: str
    language: str | None


CORPUS: tuple[Sample, ...] = (
    # Urdu, plainly written
    Sample("ur_weather", "آج لاہور میں موسم بہت اچھا ہے اور ہم پارک جا رہے ہیں", "ur"),
    Sample("ur_language", "اردو ہماری قومی زبان ہے اور ہمیں اس پر فخر ہے", "ur"),
    Sample("ur_book", "میں نے کل ایک نئی کتاب پڑھی، بہت مزے کی تھی", "ur"),
    Sample("ur_tag", "پاکستان کی کرکٹ ٹیم آج جیت گئی #پاکستان", "ur"),
    # Urdu with harakat (the same words as above, vowelled)
    Sample("ur_harakat", "اُردُو ہماری قومی زَبان ہے، اِسے سیکھنا آسان ہے", "ur"),
    # Urdu typed on an Arabic keyboard: Arabic kaf, yeh and heh
    Sample("ur_arabic_letters", "پاكستان كي ٹيم نے آج بہت اچها كهيل پيش كيا", "ur"),
    Sample("ur_arabic_tag", "ہم سب كو #پاكستان سے پیار ہے اور ہمیشہ رہے گا", "ur"),
    # Urdu with tatweel and a zero-width non-joiner inside a word
    Sample("ur_tatweel", "میری پسندیدہ کتـــاب ابھی تک وہی پرانی ہے", "ur"),
    # Arabic
    Sample("ar_weather", "الطقس جميل جدا اليوم في القاهرة ونحن ذاهبون إلى الحديقة", "ar"),
    Sample("ar_book", "قرأت كتابا جديدا أمس وكان ممتعا للغاية", "ar"),
    # Persian
    Sample("fa_weather", "امروز هوا در تهران خیلی خوب است و ما به پارک می‌رویم", "fa"),
    Sample("fa_book", "دیروز یک کتاب تازه خواندم که خیلی جالب بود", "fa"),
    # Hindi
    Sample("hi_weather", "आज दिल्ली में मौसम बहुत अच्छा है और हम पार्क जा रहे हैं", "hi"),
    Sample("hi_book", "मैंने कल एक नई किताब पढ़ी, बहुत मज़ेदार थी", "hi"),
    # English
    Sample("en_weather", "The weather in London is lovely today and we are off to the park", "en"),
    Sample("en_book", "I read a new book yesterday and it was great fun", "en"),
    Sample("en_cafe", "Meet me at the café near the station, the coffee is excellent", "en"),
    # Other configured languages
    Sample("de_weather", "Das Wetter in Berlin ist heute wunderschön", "de"),
    Sample("es_weather", "Hoy hace muy buen tiempo en Madrid", "es"),
    Sample("tr_weather", "Bugün İstanbul'da hava çok güzel", "tr"),
    # Emoji, links, mentions and tags do not change the language
    Sample("ur_emoji", "کرکٹ میچ دیکھ کر بہت مزہ آیا 🏏🎉👨‍👩‍👧‍👦 https://example.org/match", "ur"),
    Sample("en_emoji", "What a match 🏏🎉 well played everyone, see you next week", "en"),
    # Mixed posts record their main language
    Sample("mixed_mostly_ur", "Good morning! آج کا دن بہت خوبصورت ہے اور ہم سب خوش ہیں", "ur"),
    Sample("mixed_mostly_en", "Had a wonderful day at the book fair with friends, شکریہ", "en"),
    # Too short or ambiguous to tell: better unknown than wrong
    Sample("short_ok", "ok", None),
    Sample("only_emoji", "🎉🎉🎉", None),
    Sample("only_link", "https://example.org/a/long/path", None),
)

BY_KEY = {sample.key: sample for sample in CORPUS}

# Every spelling of one Urdu word, and the posts in CORPUS that contain that word.
URDU_VARIANTS: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    "urdu": (("اردو", "اُردو", "اُردُو", "ارد\u200cو"), frozenset({"ur_language", "ur_harakat"})),
    "pakistan": (
        ("پاکستان", "پاكستان", "پاکـستان", "پاک\u200cستان"),
        frozenset({"ur_tag", "ur_arabic_letters", "ur_arabic_tag"}),
    ),
    # as a hashtag: only the posts that tag it, whichever way the tag was spelt
    "pakistan_tag": (
        ("#پاکستان", "#پاكستان", "#پاکـستان", "#پاكستان،"),
        frozenset({"ur_tag", "ur_arabic_tag"}),
    ),
    # Persian writes the word the same way, so its post is found too
    "book": (("کتاب", "كتاب", "کتـاب"), frozenset({"ur_book", "ur_tatweel", "fa_book"})),
}
