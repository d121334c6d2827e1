"""The judgement rules in plain Swedish, for both reports' "Om underlaget"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from naravard.analysis.judgements import TREND_MIN_YEARS
from naravard.wording.text import lower_first


def rules(directions: Mapping[str, Sequence[str]]) -> list[tuple[str, str]]:
    """The judgement rules in plain Swedish for "Om underlaget" (title, explanation).

    `directions` maps "higher"/"lower"/"neutral" to indicator names from the catalogue, so
    what the report says about directions is never written by hand.
    """

    def names(key: str) -> str:
        return "; ".join(lower_first(n) for n in directions.get(key, [])) or "inga"

    return [
        (
            "Riktning",
            f"Högre värde är bättre för: {names('higher')}. Lägre värde är bättre för: "
            f"{names('lower')}. Ingen riktning är i sig bättre för: {names('neutral')}. Sådana "
            "indikatorer rangordnas inte, färgas inte som bra eller dåliga och beskrivs mot riket och "
            "spridningen mellan regionerna (lägsta, median och högsta värde).",
        ),
        (
            "Precision",
            "Värdena visas med den precision som källan publicerar (en källa som "
            "publicerar hela procent ger 15 %, inte 15,0 %). Placeringar och lika värden avgörs "
            "med samma precision.",
        ),
        (
            "Placering",
            "Plats bland de regioner som har ett värde samma år; plats 1 är bäst. "
            "Regioner med samma värde delar plats, och det skrivs ut (till exempel delad plats "
            "1–6 av 19). En delad placering beskrivs aldrig som regionens egen starkaste eller "
            "svagaste utan att det sägs att den är delad. Läge är övre, mellersta eller nedre "
            "tredjedelen av placeringarna, räknat från den bästa delade platsen.",
        ),
        (
            "Förändring",
            "Värdet för uppföljningsåret minus värdet för det senaste tidigare året "
            "med värde; saknas föregående år sägs vilket år som jämförs (till exempel sedan "
            "2022). Varje indikator har en minsta förändring som räknas, och skälet står vid "
            "indikatorn. För enkäter är det felmarginalen för en skillnad mellan två år, omkring "
            "√2 gånger felmarginalen för ett år: 4 procentenheter för Hälso- och "
            "sjukvårdsbarometern med några tusen svar per region, 3 för Nationell patientenkät; "
            "2 procentenheter där källan publicerar hela procent. En mindre förändring kallas "
            "ingen tydlig förändring och räknas inte som förbättring eller försämring. För "
            "rikets värde gäller en mindre gräns där underlaget är mycket större (enkäter med "
            "omkring 50 000 svar i hela landet).",
        ),
        (
            "Tidsseriebrott och definitioner",
            "Ligger ett tidsseriebrott mellan åren, eller är "
            "värdena mätta på olika sätt (regionens egna uppgifter anger sin definition), bedöms "
            "förändringen inte och räknas inte i sammanfattningen; den kallas aldrig oförändrad. "
            "Glidande medelvärden (till exempel treårsmedelvärden) anges vid indikatorn.",
        ),
        (
            "Trend",
            f"Finns minst {TREND_MIN_YEARS} jämförbara år (efter det senaste "
            "tidsseriebrottet) beskrivs vad diagrammet visar, med värdena avrundade som de "
            "publiceras och indikatorns minsta förändring som den minsta rörelse som räknas. "
            "Först prövas en vändning: värdet steg till sitt högsta år (eller sjönk till sitt "
            "lägsta) och har sedan gått åt andra hållet, med minst två år på var sida, minst "
            "den minsta förändringen åt vardera hållet och minst fyra av fem par av år inom "
            "varje del åt delens håll; ett enstaka avvikande år räknas inte som vändning. "
            "Bedömningen gäller då tiden sedan vändningen. Sedan ett nivåskifte: värdet flyttade "
            "sig mellan två år och har legat kvar, med minst två år på var sida, alla år efter "
            "skiftet på andra sidan om alla år före, och skiftet minst dubbelt så stort som "
            "variationen inom vardera nivån. Sedan en jämn ökning eller minskning: Mann–Kendalls "
            "test över alla åren på tioprocentsnivån, och både skillnaden mellan sista och "
            "första året och Theil–Sens lutning över perioden minst den minsta förändringen. "
            "Annars står det ingen tydlig trend. Ger samma regler förra året en annan bedömning "
            "sägs det inom parentes (i förra årets uppföljning: …).",
        ),
        (
            "Mål",
            "Mål anges bara där en offentlig källa med datum anger ett, med vem som satt "
            "målet och för vilket år det gäller; ett mål för ett tidigare år sägs vara det. "
            "Bedömningen är samma som regionerna använder för sina målvärden: målet uppfylls "
            "vid minst 100 procent av målvärdet, uppfylls delvis vid 80–99 procent och uppfylls "
            "inte under 80 procent. För ett tak (högst X) räknas samma andelar som X delat med "
            "värdet, så att värden upp till 1,25 gånger taket uppfyller målet delvis. "
            "Bedömningen beror bara på värdet och målet, samma för alla regioner i "
            "regionrapporten, riksrapporten och tabellerna i Excel. Saknas värde kan "
            "måluppfyllelsen inte bedömas.",
        ),
    ]
