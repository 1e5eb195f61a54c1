"""Demo suppliers drawn from the public information on who signed the GPAI Code of Practice.

Signatory facts come from the Commission's signatory list (first published 1 Aug 2025) and
press reports; model facts are illustrative values for trying out the app.
"""

import datetime

COMMISSION_LIST = "https://digital-strategy.ec.europa.eu/en/policies/contents-code-gpai"
XAI_SOURCE = "https://www.thestar.com.my/tech/tech-news/2025/07/31/musk039s-xai-to-sign-eu039s-ai-code-of-practice"
META_SOURCE = "https://www.cnbc.com/2025/07/18/meta-europe-ai-code.html"

FIRST_LIST = datetime.date(2025, 8, 1)
# Signature checks are dated relative to the day the demo is loaded, so a fresh demo is not all
# stale: most were checked recently, every fifth supplier long enough ago to be stale.
RECENT_CHECK_DAYS = 14
STALE_CHECK_DAYS = 120


def checked_on(today, index):
    """The demo date of the signature checks of the `index`-th demo supplier."""
    days = STALE_CHECK_DAYS if index % 5 == 4 else RECENT_CHECK_DAYS
    return today - datetime.timedelta(days=days)


ALL = ("transparency", "copyright", "safety_security")


def _signed_all(source=COMMISSION_LIST, signed_on=FIRST_LIST):
    return dict.fromkeys(ALL, ("signed", signed_on, source, ""))


SUPPLIERS = [
    {
        "name": "Mistral AI",
        "legal_name": "Mistral AI SAS",
        "country": "FR",
        "website": "https://mistral.ai",
        "signatures": _signed_all(),
        "models": [
            {
                "name": "Mistral Large",
                "version": "2",
                "modalities": ["text", "code"],
                "placed_on_market": datetime.date(2024, 7, 24),
                "licence": "Mistral Research Licence; commercial licence on request",
                "weights_public": True,
                "monetised": True,
                "systemic_risk_status": "unknown",
            },
            {
                "name": "Mistral Small",
                "version": "3.1",
                "modalities": ["text", "image"],
                "placed_on_market": datetime.date(2025, 3, 17),
                "licence": "Apache 2.0",
                "open_licence": True,
                "weights_public": True,
                "architecture_public": True,
                "usage_info_public": True,
                "systemic_risk_status": "not_systemic",
            },
        ],
    },
    {
        "name": "Aleph Alpha",
        "legal_name": "Aleph Alpha GmbH",
        "country": "DE",
        "website": "https://aleph-alpha.com",
        "signatures": _signed_all(),
        "models": [
            {
                "name": "Pharia-1-LLM",
                "version": "7B",
                "modalities": ["text"],
                "placed_on_market": datetime.date(2024, 8, 26),
                "licence": "Open Aleph Licence (non-commercial research)",
                "weights_public": True,
                "architecture_public": True,
                "usage_info_public": True,
                "systemic_risk_status": "not_systemic",
            },
        ],
    },
    {
        "name": "OpenAI",
        "legal_name": "OpenAI OpCo, LLC",
        "country": "US",
        "website": "https://openai.com",
        "eu_representative_name": "OpenAI Ireland Limited",
        "eu_representative_contact": "Dublin, Ireland",
        "signatures": _signed_all(),
        "models": [
            {
                "name": "GPT-4o",
                "version": "2024-11-20",
                "modalities": ["text", "image", "audio"],
                "placed_on_market": datetime.date(2024, 5, 13),
                "licence": "Proprietary, API terms of use",
                "monetised": True,
                "systemic_risk_status": "notified",
            },
            {
                "name": "GPT-5",
                "version": "",
                "modalities": ["text", "image", "code"],
                "placed_on_market": datetime.date(2025, 8, 7),
                "licence": "Proprietary, API terms of use",
                "monetised": True,
                "systemic_risk_status": "notified",
            },
        ],
    },
    {
        "name": "Anthropic",
        "legal_name": "Anthropic PBC",
        "country": "US",
        "website": "https://www.anthropic.com",
        "signatures": _signed_all(),
        "models": [
            {
                "name": "Claude Sonnet",
                "version": "4.5",
                "modalities": ["text", "image", "code"],
                "placed_on_market": datetime.date(2025, 9, 29),
                "licence": "Proprietary, commercial terms",
                "monetised": True,
                "systemic_risk_status": "notified",
            },
        ],
    },
    {
        "name": "xAI",
        "legal_name": "X.AI LLC",
        "country": "US",
        "website": "https://x.ai",
        "notes": "Signed only the Safety and Security chapter; must show compliance with the "
        "transparency and copyright obligations by other means.",
        "signatures": {
            "transparency": ("not_signed", None, XAI_SOURCE, "Chose not to sign this chapter."),
            "copyright": ("not_signed", None, XAI_SOURCE, "Chose not to sign this chapter."),
            "safety_security": ("signed", FIRST_LIST, XAI_SOURCE, ""),
        },
        "models": [
            {
                "name": "Grok",
                "version": "4",
                "modalities": ["text", "image"],
                "placed_on_market": datetime.date(2025, 7, 9),
                "licence": "Proprietary",
                "monetised": True,
                "systemic_risk_status": "presumed",
            },
        ],
    },
    {
        "name": "Meta",
        "legal_name": "Meta Platforms, Inc.",
        "country": "US",
        "website": "https://ai.meta.com",
        "notes": "Declined to sign the Code on 18 Jul 2025; remains bound by the AI Act.",
        "signatures": dict.fromkeys(
            ALL, ("declined", None, META_SOURCE, "Publicly declined to sign the Code.")
        ),
        "models": [
            {
                "name": "Llama",
                "version": "3.1 405B",
                "modalities": ["text", "code"],
                "placed_on_market": datetime.date(2024, 7, 23),
                "training_compute_flop": 38 * 10**24,
                "licence": "Llama 3.1 Community Licence",
                "weights_public": True,
                "architecture_public": True,
                "usage_info_public": True,
                "systemic_risk_status": "presumed",
            },
        ],
    },
]
