#!/usr/bin/env python3
"""Generate gazetteers/states.toml from the ISO 3166-1 data of the iso-codes package.

Maintainer tool, not used at build or test time: its output, states.toml, is committed.

    apt-get install -y iso-codes
    python3 gazetteers/tools/generate_states.py > gazetteers/states.toml

Source: ISO 3166-1 as packaged by iso-codes (https://salsa.debian.org/iso-codes-team/iso-codes),
licence LGPL-2.1-or-later; the package's version is written into the file header. iso-codes does
not say which territories are UN member states, so the 193 members (and the two observer states)
are listed below by their ISO alpha-2 codes. The alternative names that news uses but ISO does not
give (US, Byelorussia, Burma, Ivory Coast, ...) and the demonyms are maintained here by hand.
"""
import json
import re
import subprocess
import sys

ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"

UN_MEMBERS = """
AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV KH CM CA
CF TD CL CN CO KM CG CD CR CI HR CU CY CZ KP DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ FI FR GA GM GE
DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI KW KG LA LV LB LS LR LY
LI LT LU MG MW MY MV ML MT MH MR MU MX FM MC MN ME MA MZ MM NA NR NP NL NZ NI NE NG MK NO OM PK PW
PA PG PY PE PH PL PT QA KR MD RO RU RW KN LC VC WS SM ST SA SN RS SC SL SG SK SI SB SO ZA SS ES LK
SD SR SE CH SY TJ TH TL TG TO TT TN TR TM TV UG UA AE GB TZ US UY UZ VU VE VN YE ZM ZW
""".split()
UN_OBSERVERS = ["VA", "PS"]

# Canonical names where the ISO short name is not what English-language news writes.
CANONICAL = {
    "RU": "Russia", "VA": "Holy See", "PS": "Palestine", "FM": "Micronesia", "BN": "Brunei",
    "NL": "Netherlands", "TR": "Turkey", "ST": "Sao Tome and Principe",
}

EXTRA_ALIASES = {
    "US": ["United States of America", "US", "U.S.", "USA", "U.S.A.", "America"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain"],
    "BY": ["Byelorussia", "Belorussia", "Republic of Belarus"],
    "RU": ["Russian Federation"],
    "TR": ["Türkiye"],
    "CZ": ["Czech Republic"],
    "CV": ["Cape Verde"],
    "CI": ["Ivory Coast"],
    "SZ": ["Swaziland"],
    "MK": ["Macedonia"],
    "MM": ["Burma"],
    "TL": ["East Timor"],
    "NL": ["Holland", "Kingdom of the Netherlands"],
    "VN": ["Viet Nam"],
    "KP": ["DPRK"],
    "KR": ["Republic of Korea"],
    "AE": ["UAE", "Emirates"],
    "GM": ["The Gambia"],
    "BS": ["The Bahamas"],
    "BA": ["Bosnia"],
    "CD": ["Democratic Republic of the Congo", "DR Congo", "DRC", "Congo-Kinshasa", "Congo"],
    "CG": ["Republic of the Congo", "Congo-Brazzaville", "Congo"],
    "VA": ["Vatican", "Vatican City", "Holy See (Vatican City State)"],
    "PS": ["State of Palestine"],
    "LA": ["Lao People's Democratic Republic"],
    "SY": ["Syrian Arab Republic"],
    "IR": ["Islamic Republic of Iran"],
    "MD": ["Republic of Moldova"],
    "TZ": ["United Republic of Tanzania"],
    "BO": ["Plurinational State of Bolivia"],
    "VE": ["Bolivarian Republic of Venezuela"],
    "BN": ["Brunei Darussalam"],
    "FM": ["Federated States of Micronesia"],
}

# Aliases more than one state has a right to: listed as ambiguous in each, resolved by context.
AMBIGUOUS = {"CD": ["Congo"], "CG": ["Congo"], "GE": ["Georgia"]}
# Where context does not decide, an ambiguous alias goes to the entity that declares it a default.
DEFAULT_FOR = {"GE": ["Georgia"]}

DEMONYMS = {
    "AF": ["Afghan"], "AL": ["Albanian"], "DZ": ["Algerian"], "AR": ["Argentine", "Argentinian"],
    "AM": ["Armenian"], "AU": ["Australian"], "AT": ["Austrian"], "AZ": ["Azerbaijani"],
    "BD": ["Bangladeshi"], "BY": ["Belarusian", "Belarussian", "Byelorussian", "Belorussian"],
    "BE": ["Belgian"], "BR": ["Brazilian"], "BG": ["Bulgarian"], "CA": ["Canadian"],
    "CL": ["Chilean"], "CN": ["Chinese"], "CO": ["Colombian"], "HR": ["Croatian"], "CU": ["Cuban"],
    "CZ": ["Czech"], "DK": ["Danish"], "EG": ["Egyptian"], "EE": ["Estonian"], "FI": ["Finnish"],
    "FR": ["French"], "GE": ["Georgian"], "DE": ["German"], "GR": ["Greek"], "HU": ["Hungarian"],
    "IN": ["Indian"], "ID": ["Indonesian"], "IR": ["Iranian"], "IQ": ["Iraqi"], "IE": ["Irish"],
    "IL": ["Israeli"], "IT": ["Italian"], "JP": ["Japanese"], "KZ": ["Kazakh", "Kazakhstani"],
    "KG": ["Kyrgyz"], "LV": ["Latvian"], "LT": ["Lithuanian"], "MX": ["Mexican"],
    "MD": ["Moldovan"], "NL": ["Dutch"], "NO": ["Norwegian"], "PK": ["Pakistani"],
    "PH": ["Filipino", "Philippine"], "PL": ["Polish"], "PT": ["Portuguese"], "RO": ["Romanian"],
    "RU": ["Russian"], "RS": ["Serbian"], "SK": ["Slovak"], "SI": ["Slovenian"],
    "ES": ["Spanish"], "SE": ["Swedish"], "CH": ["Swiss"], "SY": ["Syrian"], "TJ": ["Tajik"],
    "TR": ["Turkish"], "TM": ["Turkmen"], "UA": ["Ukrainian"], "GB": ["British"],
    "US": ["American"], "UZ": ["Uzbek"], "VE": ["Venezuelan"], "AE": ["Emirati"],
    "SA": ["Saudi"], "KP": ["North Korean"], "KR": ["South Korean"], "VN": ["Vietnamese"],
}

# Wikidata items of the better-known states (added to states.toml by hand in 236e3fc, kept here
# since so that regenerating keeps them); every export writes them on the node.
WIKIDATA = {
    "AM": "Q399", "AT": "Q40", "AU": "Q408", "AZ": "Q227", "BE": "Q31", "BG": "Q219", "BR": "Q155",
    "BY": "Q184", "CA": "Q16", "CH": "Q39", "CN": "Q148", "CZ": "Q213", "DE": "Q183", "DK": "Q35",
    "EE": "Q191", "EG": "Q79", "ES": "Q29", "FI": "Q33", "FR": "Q142", "GB": "Q145", "GE": "Q230",
    "GR": "Q41", "HU": "Q28", "IE": "Q27", "IL": "Q801", "IN": "Q668", "IR": "Q794", "IT": "Q38",
    "JP": "Q17", "KP": "Q423", "KR": "Q884", "KZ": "Q232", "LT": "Q37", "LV": "Q211", "MD": "Q217",
    "MX": "Q96", "NL": "Q55", "NO": "Q20", "PL": "Q36", "PT": "Q45", "RO": "Q218", "RU": "Q159",
    "SE": "Q34", "SY": "Q858", "TR": "Q43", "UA": "Q212", "US": "Q30",
}


def slug(name):
    ascii_name = name.replace("ü", "u").replace("ô", "o").replace("é", "e").replace("ã", "a")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def toml_string(value):
    return json.dumps(value, ensure_ascii=False)


def toml_list(values):
    return "[" + ", ".join(toml_string(v) for v in values) + "]"


def main():
    assert len(set(UN_MEMBERS)) == 193, len(set(UN_MEMBERS))
    records = {r["alpha_2"]: r for r in json.load(open(ISO_JSON, encoding="utf-8"))["3166-1"]}
    version = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "iso-codes"], capture_output=True, text=True
    ).stdout.strip() or "unknown"
    out = sys.stdout
    out.write(
        "# States: the 193 UN member states and the 2 UN observer states.\n"
        "# GENERATED by gazetteers/tools/generate_states.py from ISO 3166-1 as packaged by\n"
        f"# iso-codes {version} (LGPL-2.1-or-later); alternative names and demonyms are kept in\n"
        "# that script. Edit the script, not this file, and regenerate.\n"
    )
    codes = sorted(UN_MEMBERS + UN_OBSERVERS, key=lambda c: slug(CANONICAL.get(c) or records[c].get("common_name") or records[c]["name"]))
    for code in codes:
        record = records[code]
        name = CANONICAL.get(code) or record.get("common_name") or record["name"]
        aliases = []
        for candidate in [record["name"], record.get("official_name"), record.get("common_name")] + EXTRA_ALIASES.get(code, []):
            if candidate and "," not in candidate and candidate != name and candidate not in aliases:
                aliases.append(candidate)
        status = "UN observer state" if code in UN_OBSERVERS else "UN member state"
        out.write("\n[[entity]]\n")
        out.write(f"id = {toml_string(slug(name))}\n")
        out.write(f"name = {toml_string(name)}\n")
        out.write('type = "state"\n')
        if code in WIKIDATA:
            out.write(f"wikidata = {toml_string(WIKIDATA[code])}\n")
        out.write(f"aliases = {toml_list(aliases)}\n")
        if code in AMBIGUOUS:
            out.write(f"ambiguous = {toml_list(AMBIGUOUS[code])}\n")
        if code in DEFAULT_FOR:
            out.write(f"default_for = {toml_list(DEFAULT_FOR[code])}\n")
        if code in DEMONYMS:
            # Nationality nouns take a plural ("Belarusians", "Russians"); adjectives in -sh,
            # -ch, -ese do not ("Polish", "Dutch", "Chinese").
            demonyms = list(DEMONYMS[code])
            demonyms += [d + "s" for d in DEMONYMS[code] if d.endswith(("an", "i", "k", "en"))]
            out.write(f"demonyms = {toml_list(demonyms)}\n")
        out.write(f"description = {toml_string(status + ', ISO 3166-1 ' + code)}\n")


if __name__ == "__main__":
    main()
