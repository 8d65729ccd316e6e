"""The words of the evaluation set, per language: sentence frames, nouns, keyword-only lines.

Written independently of hw4/detection: each frame is how a person might hand over a value
("my {n} is {v}"), {n} is the name of the kind of data in that language and {v} the value.
Every language has four frames; frames 0 and 2 are in the tuning half, 1 and 3 in the
reporting half (see generate.py), so the detector is scored on sentence shapes it was not
tuned on.
"""

from __future__ import annotations

LANGS = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "el", "ar", "he", "hi", "zh",
         "ja", "ko")

FRAMES: dict[str, tuple[str, ...]] = {
    "en": ("my {n} is {v}", "{n}: {v}", "here is the {n} you asked for: {v}",
           "ok, {n} {v} - thanks!"),
    "de": ("meine {n} ist {v}", "{n}: {v}", "hier die {n}, wie besprochen: {v}",
           "{n} lautet {v}, danke"),
    "fr": ("mon {n} est {v}", "{n} : {v}", "voici le {n} demandé : {v}", "ok, {n} {v}, merci"),
    "es": ("mi {n} es {v}", "{n}: {v}", "aquí tienes el {n}: {v}", "vale, {n} {v}, gracias"),
    "it": ("il mio {n} è {v}", "{n}: {v}", "ecco il {n} richiesto: {v}", "ok, {n} {v}, grazie"),
    "pt": ("o meu {n} é {v}", "{n}: {v}", "aqui está o {n}: {v}", "ok, {n} {v}, obrigado"),
    "nl": ("mijn {n} is {v}", "{n}: {v}", "hier is het {n}: {v}", "ok, {n} {v}, bedankt"),
    "pl": ("mój {n} to {v}", "{n}: {v}", "oto {n}, o który prosiłeś: {v}", "ok, {n} {v}, dzięki"),
    "ru": ("мой {n}: {v}", "{n} — {v}", "вот {n}, как просили: {v}", "{n} {v}, спасибо"),
    "el": ("ο {n} μου είναι {v}", "{n}: {v}", "ορίστε ο {n}: {v}", "{n} {v}, ευχαριστώ"),
    "ar": ("{n} الخاص بي هو {v}", "{n}: {v}", "هذا هو {n}: {v}", "{n} {v} شكرا"),
    "he": ("{n} שלי: {v}", "{n}: {v}", "הנה {n}: {v}", "{n} {v}, תודה"),
    "hi": ("मेरा {n} {v} है", "{n}: {v}", "यह रहा {n}: {v}", "{n} {v}, धन्यवाद"),
    "zh": ("我的{n}是{v}", "{n}：{v}", "这是{n} {v}，谢谢", "{n}是 {v}"),
    "ja": ("私の{n}は{v}です", "{n}：{v}", "{n}は {v} です。よろしく", "{n}: {v}"),
    "ko": ("제 {n}는 {v}입니다", "{n}: {v}", "{n} {v} 입니다, 감사합니다", "{n}은 {v}"),
}

# the name of each kind of data, per language
NOUNS: dict[str, dict[str, str]] = {
    "EMAIL": dict(en="email", de="E-Mail-Adresse", fr="adresse e-mail", es="correo electrónico",
                  it="indirizzo email", pt="email", nl="e-mailadres", pl="adres e-mail",
                  ru="email", el="email", ar="البريد الإلكتروني", he="אימייל", hi="ईमेल",
                  zh="邮箱", ja="メールアドレス", ko="이메일"),
    "PHONE": dict(en="phone number", de="Telefonnummer", fr="numéro de téléphone",
                  es="número de teléfono", it="numero di telefono", pt="número de telefone",
                  nl="telefoonnummer", pl="numer telefonu", ru="номер телефона",
                  el="αριθμός τηλεφώνου", ar="رقم الهاتف", he="מספר טלפון", hi="फ़ोन नंबर",
                  zh="电话号码", ja="電話番号", ko="전화번호"),
    "CREDIT_CARD": dict(en="credit card", de="Kreditkarte", fr="carte bancaire",
                        es="tarjeta de crédito", it="carta di credito", pt="cartão de crédito",
                        nl="creditcard", pl="karta kredytowa", ru="номер карты",
                        el="πιστωτική κάρτα", ar="بطاقة الائتمان", he="כרטיס אשראי",
                        hi="क्रेडिट कार्ड", zh="信用卡号", ja="クレジットカード番号",
                        ko="신용카드 번호"),
    "IBAN": dict.fromkeys(LANGS, "IBAN"),
    "IP_ADDRESS": dict(en="IP address", de="IP-Adresse", fr="adresse IP", es="dirección IP",
                       it="indirizzo IP", pt="endereço IP", nl="IP-adres", pl="adres IP",
                       ru="IP-адрес", el="διεύθυνση IP", ar="عنوان IP", he="כתובת IP",
                       hi="IP पता", zh="IP地址", ja="IPアドレス", ko="IP 주소"),
    "PASSWORD": dict(en="password", de="Passwort", fr="mot de passe", es="contraseña",
                     it="password", pt="senha", nl="wachtwoord", pl="hasło", ru="пароль",
                     el="κωδικός πρόσβασης", ar="كلمة المرور", he="סיסמה", hi="पासवर्ड",
                     zh="密码", ja="パスワード", ko="비밀번호"),
    "SECRET": dict(en="API key", de="API-Schlüssel", fr="clé API", es="clave API",
                   it="chiave API", pt="chave API", nl="API-sleutel", pl="klucz API",
                   ru="API-ключ", el="κλειδί API", ar="مفتاح API", he="מפתח API",
                   hi="API कुंजी", zh="API密钥", ja="APIキー", ko="API 키"),
    "DATE_OF_BIRTH": dict(en="date of birth", de="Geburtsdatum", fr="date de naissance",
                          es="fecha de nacimiento", it="data di nascita",
                          pt="data de nascimento", nl="geboortedatum", pl="data urodzenia",
                          ru="дата рождения", el="ημερομηνία γέννησης", ar="تاريخ الميلاد",
                          he="תאריך לידה", hi="जन्म तिथि", zh="出生日期", ja="生年月日",
                          ko="생년월일"),
    "PASSPORT": dict(en="passport number", de="Reisepassnummer", fr="numéro de passeport",
                     es="número de pasaporte", it="numero di passaporto",
                     pt="número do passaporte", nl="paspoortnummer", pl="numer paszportu",
                     ru="номер паспорта", el="αριθμός διαβατηρίου", ar="رقم جواز السفر",
                     he="מספר דרכון", hi="पासपोर्ट नंबर", zh="护照号码", ja="パスポート番号",
                     ko="여권 번호"),
    "ADDRESS": dict(en="address", de="Adresse", fr="adresse", es="dirección postal",
                    it="indirizzo", pt="morada", nl="adres"),
    "SSN": dict(en="SSN"),
}

# Messages that name a kind of personal data without giving it (the keyword reading blocks
# them, the strict reading does not). Four per language, split like the frames.
KEYWORD_ONLY: dict[str, tuple[str, ...]] = {
    "en": ("I forgot my password again", "what is your phone number?",
           "please send me your IBAN", "do you need my passport for the form?"),
    "de": ("Ich habe mein Passwort vergessen", "Wie ist deine Telefonnummer?",
           "Schick mir bitte deine IBAN", "Brauchst du meinen Reisepass?"),
    "fr": ("j'ai oublié mon mot de passe", "quel est ton numéro de téléphone ?",
           "envoie-moi ton IBAN stp", "il faut la date de naissance ?"),
    "es": ("olvidé mi contraseña", "¿cuál es tu número de teléfono?",
           "mándame tu IBAN", "¿necesitas mi pasaporte?"),
    "it": ("ho dimenticato la password", "qual è il tuo numero di telefono?",
           "mandami il tuo IBAN", "serve il codice fiscale?"),
    "pt": ("esqueci a minha senha", "qual é o teu número de telefone?",
           "manda-me o teu IBAN", "precisas do meu passaporte?"),
    "nl": ("ik ben mijn wachtwoord vergeten", "wat is je telefoonnummer?",
           "stuur me je IBAN", "heb je mijn paspoort nodig?"),
    "pl": ("zapomniałem hasła", "jaki jest twój numer telefonu?", "wyślij mi swój IBAN",
           "czy potrzebujesz mojego paszportu?"),
    "ru": ("я забыл пароль", "какой у тебя номер телефона?", "пришли мне свой IBAN",
           "нужен ли мой паспорт?"),
    "el": ("ξέχασα τον κωδικό πρόσβασης", "ποιος είναι ο αριθμός τηλεφώνου σου;",
           "στείλε μου το IBAN σου", "χρειάζεσαι το διαβατήριό μου;"),
    "ar": ("نسيت كلمة المرور", "ما هو رقم الهاتف الخاص بك؟", "أرسل لي رقم IBAN",
           "هل تحتاج جواز السفر؟"),
    "he": ("שכחתי את הסיסמה", "מה מספר הטלפון שלך?", "שלח לי את ה-IBAN שלך",
           "אתה צריך את הדרכון שלי?"),
    "hi": ("मैं अपना पासवर्ड भूल गया", "आपका फ़ोन नंबर क्या है?", "मुझे अपना IBAN भेजो",
           "क्या आपको मेरा पासपोर्ट चाहिए?"),
    "zh": ("我忘记密码了", "你的电话号码是多少？", "请把你的IBAN发给我", "需要我的护照吗？"),
    "ja": ("パスワードを忘れました", "電話番号を教えてください", "IBANを送ってください",
           "パスポートは必要ですか？"),
    "ko": ("비밀번호를 잊어버렸어요", "전화번호가 뭐예요?", "IBAN을 보내 주세요",
           "여권이 필요한가요?"),
}

# Neutral frames for the hard negatives (no sensitive word): {v} is a date, a version, ...
NEUTRAL: dict[str, tuple[str, ...]] = {
    "en": ("see {v}", "ref {v} done", "done at {v}, next one tomorrow", "it says {v} here"),
    "de": ("siehe {v}", "Vorgang {v} erledigt", "fertig um {v}", "da steht {v}"),
    "fr": ("voir {v}", "dossier {v} clos", "fini à {v}", "il y a {v} ici"),
    "es": ("ver {v}", "caso {v} cerrado", "listo a las {v}", "aquí pone {v}"),
    "it": ("vedi {v}", "pratica {v} chiusa", "finito alle {v}", "qui c'è scritto {v}"),
    "pt": ("ver {v}", "processo {v} fechado", "pronto às {v}", "aqui diz {v}"),
    "nl": ("zie {v}", "zaak {v} gesloten", "klaar om {v}", "hier staat {v}"),
    "pl": ("zobacz {v}", "sprawa {v} zamknięta", "gotowe o {v}", "tu jest {v}"),
    "ru": ("см. {v}", "заявка {v} закрыта", "готово в {v}", "здесь написано {v}"),
    "el": ("δες {v}", "αίτημα {v} κλειστό", "έτοιμο στις {v}", "γράφει {v}"),
    "ar": ("انظر {v}", "الطلب {v} مغلق", "جاهز في {v}", "مكتوب هنا {v}"),
    "he": ("ראה {v}", "פנייה {v} נסגרה", "מוכן ב-{v}", "כתוב כאן {v}"),
    "hi": ("देखें {v}", "टिकट {v} बंद", "{v} पर तैयार", "यहाँ {v} लिखा है"),
    "zh": ("见 {v}", "工单 {v} 已关闭", "{v} 完成", "这里写着{v}"),
    "ja": ("{v} を参照", "チケット {v} は完了", "{v} に終わりました", "ここに{v}とあります"),
    "ko": ("{v} 참고", "티켓 {v} 종료", "{v}에 완료", "여기 {v}라고 써 있어요"),
}
