"""Which language a text the system writes is in.

- notes on a record (chatter, reasons it records itself): the language of the
  record's company (``company_lang``), through ``kam.system.text.mixin``;
- activities: their assignee's language (``user_lang``, tools/activities.py);
- a new contact from an e-mail or a form: the language the customer wrote in
  (``detect``), else the company's.
"""

import re

# frequent short words per language: enough to tell a complaint in Dutch from
# one in English, German or French (a handful of these words in any sentence)
_STOPWORDS = {
    "nl": set(
        "de het een en van ik je u uw wij we niet is zijn was waren met voor op aan bij "
        "naar om dat die dit deze er ook maar nog al geen wel heb hebben heeft graag "
        "onze ons mijn wordt werd kunt kunnen zou zullen moet dank groet vriendelijke "
        "geachte beste bestelling levering".split()
    ),
    "en": set(
        "the a an and of i you your we our not is are was were with for on at by to "
        "that this these there also but still no have has had please would could "
        "should will my been be dear regards thank thanks order delivery".split()
    ),
    "de": set(
        "der die das ein eine und von ich sie ihr wir nicht ist sind war mit für auf "
        "bei nach zu dass dies auch aber noch kein haben hat bitte unsere unser mein "
        "wurde werden sehr geehrte grüße freundlichen bestellung lieferung".split()
    ),
    "fr": set(
        "le la les un une et de du des je vous votre nous ne pas est sont était avec "
        "pour sur à au par que qui ce cette aussi mais encore avons avez merci "
        "madame monsieur cordialement commande livraison".split()
    ),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# below this many stopwords the text says too little (a subject line, a name)
_MIN_HITS = 3


def active_langs(env):
    """Codes of the installed languages (``nl_NL``, ``en_US``...)."""
    return [code for code, _name in env["res.lang"].get_installed()]


def _valid(env, code):
    return code if code and code in active_langs(env) else False


def company_lang(company):
    """The language of ``company`` (its partner's), if installed; else the
    language of the environment, else English."""
    env = company.env
    return (
        _valid(env, env["res.partner"]._kam_company_partner_lang(company.id))
        or _valid(env, env.lang)
        or _valid(env, "en_US")
        or active_langs(env)[0]
    )


def user_lang(user, fallback_company=None):
    """The language ``user`` works in (for their activities)."""
    env = user.env
    return _valid(env, user.sudo().lang) or company_lang(
        fallback_company or user.sudo().company_id or env.company
    )


def detect(env, text):
    """The installed language ``text`` is most likely written in, or False when
    the text is too short to tell."""
    words = [word.lower() for word in _WORD.findall(text or "")]
    if not words:
        return False
    best, best_hits = False, 0
    for code in active_langs(env):
        stopwords = _STOPWORDS.get(code.split("_")[0])
        if not stopwords:
            continue
        hits = sum(1 for word in words if word in stopwords)
        if hits > best_hits:
            best, best_hits = code, hits
    return best if best_hits >= _MIN_HITS else False
