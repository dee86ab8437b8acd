"""The Spanish locale pack (`es`): Spanish-language text from Spanish and Latin American hospitals
and firms. Identifier labels (`NHC`, `NASS`, `nº de colegiado`, `CIP`), DNI/NIE/NIF/CIF, Spanish
phone shapes, street addresses (`C/ Mayor 5, 3º B`, `28012 Madrid`), a place gazetteer, names with
their cues (`Dña. María José García López`), and a filter that stops the English NER model from
taking capitalised Spanish words for people and organisations. See docs/labels.md (`es`)."""
