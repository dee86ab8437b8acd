"""Build the detection pipeline DetectOptions describe (the app's Settings works too: it has every
option). Models load once per process."""

from __future__ import annotations

from maskgate.detect.base import Layer
from maskgate.detect.dictionary import DEFAULT_ALLOW, AllowList, DenyLayer
from maskgate.detect.options import DetectOptions
from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.base import RegexLayer, custom_recognizers
from maskgate.detect.pipeline import Pipeline
from maskgate.detect.resolve import ResolveConfig


def build_ner_layer(settings: DetectOptions) -> Layer | None:
    from maskgate.detect.ner.base import NerLayer

    if settings.ner == "none":
        return None
    if settings.ner == "spacy":
        from maskgate.detect.names import refine_entity
        from maskgate.detect.ner.spacy_backend import DEFAULT_MODEL, SPACY_LABELS, SpacyBackend

        refine = refine_entity
        if "es" in settings.locales:  # Spanish text: the English model's people and organisations filtered
            from maskgate.detect.es.names import refine_spanish

            refine = refine_spanish(refine_entity)
        return NerLayer(SpacyBackend(settings.model or DEFAULT_MODEL), SPACY_LABELS, refine)
    if settings.ner == "transformers":
        from maskgate.detect.ner.transformers_backend import build_layer

        return build_layer(settings)
    raise ValueError(f"unknown NER backend {settings.ner!r}")


def build_pipeline(settings: DetectOptions) -> Pipeline:
    layers: list[Layer] = []
    if settings.deny:
        layers.append(DenyLayer(settings.deny))
    recognizers = recognizers_for(settings.locales) + custom_recognizers(settings.patterns)
    layers.append(RegexLayer(recognizers))
    from maskgate.detect.address import AddressLayer
    from maskgate.detect.licence import DriverLicenceLayer
    from maskgate.detect.names import NameLayer
    from maskgate.detect.names.places import PlaceLayer
    from maskgate.detect.orgs import OrgLayer

    rules: list[Layer] = [AddressLayer(), NameLayer(), OrgLayer(), PlaceLayer()]
    if "es" in settings.locales:  # Spanish text: the English name rules' people checked again
        from maskgate.detect.es.names import SpanishFiltered

        rules[1] = SpanishFiltered(rules[1])
    if "us" in settings.locales:
        rules.append(DriverLicenceLayer())
    from maskgate.detect.patterns.open_ids import OpenIdLayer

    rules.append(OpenIdLayer(us="us" in settings.locales))  # ids no label word names
    layers.extend(r for r in rules if r.name not in settings.disabled_layers)
    ner = build_ner_layer(settings)
    if ner is not None:
        layers.append(ner)
    allow = (list(DEFAULT_ALLOW) if settings.default_allow else []) + list(settings.allow)
    config = ResolveConfig(
        ignore_labels=frozenset(settings.ignore_labels),
        thresholds=dict(settings.thresholds),
        default_threshold=settings.default_threshold,
        merge_gaps=dict(settings.merge_gaps),
    )
    return Pipeline(layers, config, AllowList(allow) if allow else None)
