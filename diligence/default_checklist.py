"""The default due-diligence checklist for suppliers of general-purpose AI models.

Curators start each checklist version from these items. Codes are stable: assessments and
clause rules refer to them, so a changed item keeps its code and a new one gets the next free
number. `required` is True where the item checks a duty the AI Act itself imposes, False where
it checks a Code of Practice measure or good practice. Texts are our own summaries; the legal
basis and Code measure say where to read the original.
"""

from diligence.applicability import ItemRule

VERSION_NAME = "Default checklist"

ITEMS = [
    {
        "code": "DOC-01",
        "category": "documentation",
        "title": "General-purpose AI model, and who provides it",
        "guidance": (
            "Establish whether the model falls under the GPAI rules at all, and whether this "
            "supplier is its provider, a company that modified another provider's model, or a "
            "reseller. The Commission treats more than 10^23 FLOP of training compute together with "
            "the ability to generate text, audio, images or video as an indication of GPAI status, "
            "but breadth of capability decides."
        ),
        "evidence": (
            "A signed statement of the model's status with the training-compute estimate and output "
            "modalities, and of the supplier's role; if the model builds on another model, that "
            "model and its provider."
        ),
        "legal_basis": "Art. 3(3), Art. 3(63); Commission GPAI guidelines (18 Jul 2025)",
        "code_ref": "",
        "applies_to": "all_gpai",
        "condition": "",
        "required": False,
        "order": 10,
    },
    {
        "code": "DOC-02",
        "category": "documentation",
        "title": "Systemic-risk status declared",
        "guidance": (
            "Whether the model has systemic risk decides whether the safety and security items "
            "apply. Above 10^25 FLOP of cumulative training compute the status is presumed unless "
            "the Commission accepted the provider's rebuttal; check the answer against the "
            "Commission's public list of systemic-risk models."
        ),
        "evidence": (
            "The cumulative training compute (a figure or a range), whether the Commission was "
            "notified or designated the model, and the outcome of any argument that the model "
            "exceptionally has no systemic risk."
        ),
        "legal_basis": "Art. 51(1)-(2); Art. 52(1)-(6); Annex XIII",
        "code_ref": "",
        "applies_to": "all_gpai",
        "condition": "",
        "required": True,
        "order": 20,
    },
    {
        "code": "DOC-03",
        "category": "documentation",
        "title": "Code of Practice chapters signed",
        "guidance": (
            "Record, chapter by chapter, whether the supplier signed the Code of Practice. A signed "
            "chapter lets the supplier point to the Code's measures; for an unsigned chapter it "
            "must show other adequate means. Signing is strong evidence, not proof, of compliance."
        ),
        "evidence": (
            "The supplier's entry on the Commission's signatory list, with the date you checked it, "
            "and for each unsigned chapter a description of how the supplier meets those duties "
            "instead."
        ),
        "legal_basis": "Art. 53(4); Art. 55(2); Art. 56",
        "code_ref": "",
        "applies_to": "all_gpai",
        "condition": "",
        "required": False,
        "order": 30,
    },
    {
        "code": "DOC-04",
        "category": "documentation",
        "title": "Open-source claim: licence",
        "guidance": (
            "The exemption needs a free and open-source licence under which anyone may access, use, "
            "modify and redistribute the model. Terms that limit who may use it or for what, such "
            "as research-only or non-commercial clauses, are unlikely to qualify."
        ),
        "evidence": "The licence text and the place where the model is released under it.",
        "legal_basis": "Art. 53(2); recital 102",
        "code_ref": "",
        "applies_to": "all_gpai",
        "condition": "claims_open_source_exemption",
        "required": True,
        "order": 40,
    },
    {
        "code": "DOC-05",
        "category": "documentation",
        "title": "Open-source claim: weights published",
        "guidance": (
            "All parameters, weights included, must be available to the public, not only on request "
            "or to approved users. Check that the published weights belong to the version you are "
            "buying."
        ),
        "evidence": (
            "The public download location of the weights and a version identifier or checksum that "
            "matches the model offered to you."
        ),
        "legal_basis": "Art. 53(2); recital 102",
        "code_ref": "",
        "applies_to": "all_gpai",
        "condition": "claims_open_source_exemption",
        "required": True,
        "order": 50,
    },
    {
        "code": "DOC-06",
        "category": "documentation",
        "title": "Open-source claim: architecture and usage information published",
        "guidance": (
            "The exemption also needs public information on the model's architecture and on how to "
            "use it. A model card or repository documentation usually serves, provided it describes "
            "the released version."
        ),
        "evidence": (
            "Links to the public description of the architecture and to the usage documentation."
        ),
        "legal_basis": "Art. 53(2); recital 102",
        "code_ref": "",
        "applies_to": "all_gpai",
        "condition": "claims_open_source_exemption",
        "required": True,
        "order": 60,
    },
    {
        "code": "DOC-07",
        "category": "documentation",
        "title": "Open-source claim: release not monetised",
        "guidance": (
            "A release the supplier earns money from does not qualify, for example a free licence "
            "for research next to a paid one for commercial use, paid support without which the "
            "model cannot be used, or use of personal data beyond security and compatibility. If "
            "you pay this supplier for the model, ask how the release can still count as not "
            "monetised."
        ),
        "evidence": (
            "The supplier's written account of its income connected with the model (licences, "
            "support, hosting, data use) and why none of it monetises the release."
        ),
        "legal_basis": "Art. 53(2); recital 103; Commission GPAI guidelines",
        "code_ref": "",
        "applies_to": "all_gpai",
        "condition": "claims_open_source_exemption",
        "required": True,
        "order": 70,
    },
    {
        "code": "DOC-08",
        "category": "documentation",
        "title": "Open-source claim: no systemic risk",
        "guidance": (
            "However openly a model is released, the exemption never covers one with systemic risk. "
            "If the model is above 10^25 FLOP, designated or notified, treat the claim as failing "
            "and expect the full documentation."
        ),
        "evidence": (
            "The training-compute figure and a check of the Commission's list of systemic-risk "
            "models."
        ),
        "legal_basis": "Art. 53(2); Art. 54(6)",
        "code_ref": "",
        "applies_to": "all_gpai",
        "condition": "claims_open_source_exemption",
        "required": True,
        "order": 80,
    },
    {
        "code": "DOC-09",
        "category": "documentation",
        "title": "Compliance plan for a model on the market before 2 Aug 2025",
        "guidance": (
            "A model first placed on the EU market before 2 Aug 2025 has until 2 Aug 2027 to meet "
            "the GPAI duties, the training-content summary included. Ask how and when each gap will "
            "be closed, so the model does not fall out of compliance during your contract."
        ),
        "evidence": (
            "The date the model was first placed on the EU market and a dated plan, duty by duty, "
            "for full compliance by 2 Aug 2027."
        ),
        "legal_basis": "Art. 111(3); Art. 113(b)",
        "code_ref": "",
        "applies_to": "all_gpai",
        "condition": "legacy_model",
        "required": True,
        "order": 90,
    },
    {
        "code": "DOC-10",
        "category": "documentation",
        "title": "Technical documentation kept for the authorities",
        "guidance": (
            "The supplier must hold technical documentation on how the model was trained and tested "
            "and how it performed in evaluations, for the AI Office and national authorities. You "
            "have no legal right to read it, so ask for confirmation that it exists, is current and "
            "can be produced on request."
        ),
        "evidence": (
            "Written confirmation that the documentation (for example a completed Model "
            "Documentation Form) exists, with the date of its last update."
        ),
        "legal_basis": "Art. 53(1)(a); Annex XI section 1",
        "code_ref": "Transparency M1.1",
        "applies_to": "not_when_open_source_exempt",
        "condition": "",
        "required": True,
        "order": 100,
    },
    {
        "code": "DOC-11",
        "category": "documentation",
        "title": "Information for integrators received",
        "guidance": (
            "Providers of AI systems that build the model in are owed the information they need to "
            "understand its capabilities and limits and to meet their own AI Act duties. Get the "
            "current version before integration starts; the next items check what it contains."
        ),
        "evidence": (
            "The information package for downstream providers (the matching fields of the Model "
            "Documentation Form, or a model card covering the same ground), with its version and "
            "date."
        ),
        "legal_basis": "Art. 53(1)(b); Annex XII",
        "code_ref": "Transparency M1.1, M1.2",
        "applies_to": "not_when_open_source_exempt",
        "condition": "",
        "required": True,
        "order": 110,
    },
    {
        "code": "DOC-12",
        "category": "documentation",
        "title": "Intended tasks, system types and acceptable use policy",
        "guidance": (
            "Check that the tasks the model is meant for, and the kinds of AI system it can be "
            "built into, cover your planned use, and that the acceptable use policy does not rule "
            "that use out."
        ),
        "evidence": (
            "The description of intended and restricted uses, the types of AI system it can be "
            "integrated into, and the acceptable use policy or a statement that there is none."
        ),
        "legal_basis": "Art. 53(1)(b); Annex XII 1(a)-(b)",
        "code_ref": "Transparency M1.1",
        "applies_to": "not_when_open_source_exempt",
        "condition": "",
        "required": True,
        "order": 120,
    },
    {
        "code": "DOC-13",
        "category": "documentation",
        "title": "Release, versions, distribution and licence",
        "guidance": (
            "Pin down which model version you are buying, when it was released, through which "
            "channels it is offered and under which licence. The software versions it depends on "
            "matter too, so that a later change does not take you by surprise."
        ),
        "evidence": (
            "Model name and version identifiers, release date, distribution channels (API, "
            "download, bundled products), licence, and the relevant software versions."
        ),
        "legal_basis": "Art. 53(1)(b); Annex XII 1(c), 1(e), 1(h)",
        "code_ref": "Transparency M1.1",
        "applies_to": "not_when_open_source_exempt",
        "condition": "",
        "required": True,
        "order": 130,
    },
    {
        "code": "DOC-14",
        "category": "documentation",
        "title": "Architecture, size, modalities and input limits",
        "guidance": (
            "These details tell you whether the model fits your system: what it accepts and "
            "produces, in which formats, and how much it can take at once."
        ),
        "evidence": (
            "An architecture summary, the number of parameters, input and output modalities and "
            "formats, and the maximum input and output size such as the context window."
        ),
        "legal_basis": "Art. 53(1)(b); Annex XII 1(f)-(g), 2(b)",
        "code_ref": "Transparency M1.1",
        "applies_to": "not_when_open_source_exempt",
        "condition": "",
        "required": True,
        "order": 140,
    },
    {
        "code": "DOC-15",
        "category": "documentation",
        "title": "What integration requires",
        "guidance": (
            "Check that you can actually run or call the model: the instructions for use, the "
            "infrastructure and tools it needs, and how it interacts with hardware or software "
            "outside itself, such as tools it can call."
        ),
        "evidence": (
            "Instructions for use, required infrastructure and tooling, and a description of "
            "interactions with external hardware or software."
        ),
        "legal_basis": "Art. 53(1)(b); Annex XII 1(d), 2(a)",
        "code_ref": "Transparency M1.1",
        "applies_to": "not_when_open_source_exempt",
        "condition": "",
        "required": True,
        "order": 150,
    },
    {
        "code": "DOC-16",
        "category": "documentation",
        "title": "Training data as described to integrators",
        "guidance": (
            "Integrators are owed a description of the kinds of data used for training, testing and "
            "validation, where it came from and how it was cleaned. Data volumes and the methods "
            "for detecting bias are meant for the authorities, so ask for them in the contract if "
            "you need them."
        ),
        "evidence": (
            "A description of the data types, their sources (web, licensed, user, synthetic) and "
            "the curation methods."
        ),
        "legal_basis": "Art. 53(1)(b); Annex XII 2(c)",
        "code_ref": "Transparency M1.1",
        "applies_to": "not_when_open_source_exempt",
        "condition": "",
        "required": True,
        "order": 160,
    },
    {
        "code": "DOC-17",
        "category": "documentation",
        "title": "Compute, training time and energy recorded",
        "guidance": (
            "The supplier must record training compute, training time and energy consumption "
            "(estimated if not measured) for the authorities. The figures are not owed to you by "
            "law, but confirmation that they are recorded is the least to ask, and the compute "
            "figure also bears on systemic risk."
        ),
        "evidence": (
            "Confirmation that the figures are documented, and the figures themselves where the "
            "contract grants them."
        ),
        "legal_basis": "Art. 53(1)(a); Annex XI section 1, 2(d)-(e)",
        "code_ref": "Transparency M1.1",
        "applies_to": "not_when_open_source_exempt",
        "condition": "",
        "required": True,
        "order": 170,
    },
    {
        "code": "DOC-18",
        "category": "documentation",
        "title": "Documentation kept up to date",
        "guidance": (
            "The documentation for the authorities and the information for integrators must both "
            "follow the model as it changes. Ask how news of a new version or a material change "
            "will reach you."
        ),
        "evidence": (
            "The supplier's update procedure, the date of the last revision and a commitment to "
            "tell you about updates."
        ),
        "legal_basis": "Art. 53(1)(a)-(b)",
        "code_ref": "Transparency M1.1",
        "applies_to": "not_when_open_source_exempt",
        "condition": "",
        "required": True,
        "order": 180,
    },
    {
        "code": "DOC-19",
        "category": "documentation",
        "title": "Version history and integrity of the documentation",
        "guidance": (
            "Signatories keep earlier versions of the documentation for 10 years after the model is "
            "placed on the market and protect it against unintended changes. This helps when you "
            "later have to show what you knew when you chose the model."
        ),
        "evidence": (
            "A description of version control, change log and integrity controls, and the retention "
            "period for superseded versions."
        ),
        "legal_basis": "Art. 53(1)(a)-(b)",
        "code_ref": "Transparency M1.1, M1.3",
        "applies_to": "not_when_open_source_exempt",
        "condition": "",
        "required": False,
        "order": 190,
    },
    {
        "code": "DOC-20",
        "category": "documentation",
        "title": "Contact point for documentation requests, answered within 14 days",
        "guidance": (
            "Signatories publish a contact for documentation requests and answer integrators within "
            "14 days, save in exceptional circumstances. A supplier that has not signed the "
            "Transparency chapter can be asked to accept the same deadline in the contract."
        ),
        "evidence": (
            "The published contact (web page or address) and the response time the supplier commits "
            "to."
        ),
        "legal_basis": "Art. 53(1)(b)",
        "code_ref": "Transparency M1.2",
        "applies_to": "not_when_open_source_exempt",
        "condition": "",
        "required": False,
        "order": 200,
    },
    {
        "code": "DOC-21",
        "category": "documentation",
        "title": "Authorised representative in the EU",
        "guidance": (
            "A provider established outside the EU must, before placing the model on the EU market, "
            "mandate a representative established in the Union in writing. The representative "
            "holds a copy of the technical documentation for 10 years and answers to the AI Office, "
            "so check that it exists and knows its role."
        ),
        "evidence": (
            "The representative's name and address, the date of the written mandate, and "
            "confirmation that the mandate covers the tasks listed in Art. 54(3)."
        ),
        "legal_basis": "Art. 54(1)-(3), (6)",
        "code_ref": "",
        "applies_to": "not_when_open_source_exempt",
        "condition": "provider_outside_eu",
        "required": True,
        "order": 210,
    },
    {
        "code": "DOC-22",
        "category": "documentation",
        "title": "Cooperation with the AI Office and national authorities",
        "guidance": (
            "Every provider must cooperate with the Commission and national authorities. From 2 Aug "
            "2026 the Commission can demand information, evaluate the model and order it to be "
            "restricted or withdrawn; ask how the supplier would handle that and how it would tell "
            "you."
        ),
        "evidence": (
            "The supplier's regulatory contact, its procedure for AI Office requests, and any "
            "requests or measures it is able to disclose."
        ),
        "legal_basis": "Art. 53(3); Arts. 91-93; Art. 113",
        "code_ref": "",
        "applies_to": "all_gpai",
        "condition": "",
        "required": True,
        "order": 220,
    },
    {
        "code": "DOC-23",
        "category": "documentation",
        "title": "Public summary of training content",
        "guidance": (
            "Every GPAI provider, open-source ones included, must publish a summary of the content "
            "used to train the model, using the AI Office template. It is public, so read it before "
            "asking the supplier anything."
        ),
        "evidence": "The web address of the published summary and its date.",
        "legal_basis": "Art. 53(1)(d); recital 107",
        "code_ref": "",
        "applies_to": "all_gpai",
        "condition": "",
        "required": True,
        "order": 230,
    },
    {
        "code": "DOC-24",
        "category": "documentation",
        "title": "Training summary complete and current",
        "guidance": (
            "Check that the summary follows the template: general information, every kind of data "
            "source (public data sets, licensed and other private data, crawled web data with the "
            "main domain names, user data, synthetic data, other sources) and how the data was "
            "processed. It should be refreshed at least every six months or after a material "
            "change."
        ),
        "evidence": (
            "The current summary with its update date and, for crawled data, the list of top domain "
            "names."
        ),
        "legal_basis": "Art. 53(1)(d); AI Office training-content template (24 Jul 2025)",
        "code_ref": "",
        "applies_to": "all_gpai",
        "condition": "",
        "required": True,
        "order": 240,
    },
    {
        "code": "DOC-25",
        "category": "documentation",
        "title": "Modified models and your own fine-tuning",
        "guidance": (
            "If the supplier modified another provider's model, its duties cover only the "
            "modification and you also need the original provider's evidence. If you plan to fine-"
            "tune with more than a third of the original training compute, you may become the "
            "provider of a new model yourself."
        ),
        "evidence": (
            "For a modified model: the upstream model and its provider, the compute used for the "
            "modification compared with the original, and the upstream provider's documentation."
        ),
        "legal_basis": "Art. 3(3); recital 109; Commission GPAI guidelines",
        "code_ref": "",
        "applies_to": "all_gpai",
        "condition": "",
        "required": False,
        "order": 250,
    },
    {
        "code": "CPY-01",
        "category": "copyright",
        "title": "Copyright policy with a named owner",
        "guidance": (
            "Every provider, open-source ones included, must have a policy for complying with EU "
            "copyright law. Look for one document that covers the model's whole life and names who "
            "inside the company applies it."
        ),
        "evidence": (
            "The copyright policy or a summary of it, its date and the role responsible for it."
        ),
        "legal_basis": "Art. 53(1)(c)",
        "code_ref": "Copyright M1.1",
        "applies_to": "all_gpai",
        "condition": "",
        "required": True,
        "order": 260,
    },
    {
        "code": "CPY-02",
        "category": "copyright",
        "title": "Summary of the copyright policy published",
        "guidance": (
            "The Code encourages a public summary of the policy without requiring one. A published "
            "summary lets you compare what the supplier tells you with what it tells rightsholders."
        ),
        "evidence": "A link to the public summary, if there is one.",
        "legal_basis": "Art. 53(1)(c)",
        "code_ref": "Copyright M1.1",
        "applies_to": "all_gpai",
        "condition": "",
        "required": False,
        "order": 270,
    },
    {
        "code": "CPY-03",
        "category": "copyright",
        "title": "No circumvention of paywalls or technical protection",
        "guidance": (
            "Crawlers may only collect content they can lawfully reach. Ask for a clear statement "
            "that they do not get around paywalls, subscription barriers or other effective "
            "technical protection."
        ),
        "evidence": "The crawler rules or a statement covering access to protected content.",
        "legal_basis": "Art. 53(1)(c); Directive 2001/29/EC Art. 6(3)",
        "code_ref": "Copyright M1.2",
        "applies_to": "all_gpai",
        "condition": "",
        "required": True,
        "order": 280,
    },
    {
        "code": "CPY-04",
        "category": "copyright",
        "title": "Infringing websites left out of crawling",
        "guidance": (
            "Signatories do not crawl websites that courts or authorities in the EU or EEA have "
            "found to infringe copyright persistently and on a commercial scale; the EU will "
            "publish a page linking to such lists. Ask how the supplier keeps its exclusion list "
            "current."
        ),
        "evidence": (
            "A description of the exclusion list, where it comes from and how often it is updated."
        ),
        "legal_basis": "Art. 53(1)(c)",
        "code_ref": "Copyright M1.2",
        "applies_to": "all_gpai",
        "condition": "",
        "required": False,
        "order": 290,
    },
    {
        "code": "CPY-05",
        "category": "copyright",
        "title": "robots.txt obeyed",
        "guidance": (
            "Providers must find and respect text-and-data-mining opt-outs with state-of-the-art "
            "technology. At the least, every training crawler should read and obey robots.txt as "
            "defined in RFC 9309; ask for the crawler names so that rightsholders, you included, "
            "can address them."
        ),
        "evidence": (
            "A statement that all training crawlers obey robots.txt, with their user-agent names "
            "and a technical description."
        ),
        "legal_basis": "Art. 53(1)(c); Directive (EU) 2019/790 Art. 4(3)",
        "code_ref": "Copyright M1.3",
        "applies_to": "all_gpai",
        "condition": "",
        "required": True,
        "order": 300,
    },
    {
        "code": "CPY-06",
        "category": "copyright",
        "title": "Other machine-readable opt-outs honoured",
        "guidance": (
            "Rightsholders also reserve their rights through metadata attached to a work or through "
            "other protocols set by standards bodies or in wide use. Ask which of these the "
            "supplier detects and honours beyond robots.txt."
        ),
        "evidence": (
            "The opt-out protocols and metadata honoured, and where in the data pipeline they are "
            "applied."
        ),
        "legal_basis": "Art. 53(1)(c); Directive (EU) 2019/790 Art. 4(3)",
        "code_ref": "Copyright M1.3",
        "applies_to": "all_gpai",
        "condition": "",
        "required": True,
        "order": 310,
    },
    {
        "code": "CPY-07",
        "category": "copyright",
        "title": "Crawlers disclosed to rightsholders",
        "guidance": (
            "Signatories let rightsholders see which crawlers they run and how those treat "
            "robots.txt, and offer a way to hear about changes, such as a feed."
        ),
        "evidence": "A link to the public crawler page and to the update channel.",
        "legal_basis": "Art. 53(1)(c)",
        "code_ref": "Copyright M1.3",
        "applies_to": "all_gpai",
        "condition": "",
        "required": False,
        "order": 320,
    },
    {
        "code": "CPY-08",
        "category": "copyright",
        "title": "Checks on data sets obtained from others",
        "guidance": (
            "Data bought or licensed from third parties can carry the same copyright problems as "
            "crawled data. Ask what the supplier checks before using it, for example whether it was "
            "collected with respect for opt-outs and what the seller warrants."
        ),
        "evidence": (
            "A description of the checks made on third-party data sets, with sample licence terms "
            "or warranties."
        ),
        "legal_basis": "Art. 53(1)(c)",
        "code_ref": "",
        "applies_to": "all_gpai",
        "condition": "",
        "required": False,
        "order": 330,
    },
    {
        "code": "CPY-09",
        "category": "copyright",
        "title": "Safeguards against infringing outputs",
        "guidance": (
            "Signatories put proportionate technical measures in place so that the model does not "
            "reproduce protected training content in an infringing way. Ask what they are and how "
            "well they work; they also reduce your own exposure."
        ),
        "evidence": (
            "A description of the output safeguards (for example filters and memorisation tests) "
            "and their test results."
        ),
        "legal_basis": "Art. 53(1)(c)",
        "code_ref": "Copyright M1.4",
        "applies_to": "all_gpai",
        "condition": "",
        "required": False,
        "order": 340,
    },
    {
        "code": "CPY-10",
        "category": "copyright",
        "title": "Infringing use forbidden in the terms",
        "guidance": (
            "The acceptable use policy or terms should forbid using the model to infringe "
            "copyright; an open-source release should warn about this in its documentation. Check "
            "that your planned use fits these terms."
        ),
        "evidence": (
            "The clause in the terms or acceptable use policy, or the warning in the release "
            "documentation."
        ),
        "legal_basis": "Art. 53(1)(c)",
        "code_ref": "Copyright M1.4",
        "applies_to": "all_gpai",
        "condition": "",
        "required": False,
        "order": 350,
    },
    {
        "code": "CPY-11",
        "category": "copyright",
        "title": "Contact point and complaints for rightsholders",
        "guidance": (
            "Signatories give rightsholders an easy-to-find electronic contact and a way to file "
            "substantiated complaints, which they handle within a reasonable time. A working "
            "complaint process shows the policy is applied, not just written."
        ),
        "evidence": (
            "Links to the contact point and the complaint form, the handling procedure and the "
            "usual response time."
        ),
        "legal_basis": "Art. 53(1)(c)",
        "code_ref": "Copyright M1.5",
        "applies_to": "all_gpai",
        "condition": "",
        "required": False,
        "order": 360,
    },
    {
        "code": "CPY-12",
        "category": "copyright",
        "title": "Training summary explains opt-outs and illegal content",
        "guidance": (
            "The data-processing part of the public training summary should say how rights "
            "reservations were respected and how illegal content was removed. Compare it with what "
            "the supplier tells you about its crawlers."
        ),
        "evidence": "The data-processing section of the public training-content summary.",
        "legal_basis": "Art. 53(1)(c)-(d); AI Office training-content template, section 3",
        "code_ref": "",
        "applies_to": "all_gpai",
        "condition": "",
        "required": True,
        "order": 370,
    },
    {
        "code": "SAF-01",
        "category": "safety_security",
        "title": "Commission notified of systemic risk",
        "guidance": (
            "A provider must notify the Commission within two weeks of the threshold being met, or "
            "of knowing it will be, unless the Commission designated the model itself. A late or "
            "missing notification says something about the supplier's compliance as a whole."
        ),
        "evidence": (
            "The date of the notification, or the Commission's designation decision, and the "
            "model's entry on the Commission's list."
        ),
        "legal_basis": "Art. 52(1), (4), (6)",
        "code_ref": "",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": True,
        "order": 380,
    },
    {
        "code": "SAF-02",
        "category": "safety_security",
        "title": "Safety and Security Framework",
        "guidance": (
            "Providers of systemic-risk models must assess and mitigate those risks. Signatories "
            "describe how in a Framework confirmed no later than two weeks before the model is "
            "placed on the market; a non-signatory must show an equivalent process."
        ),
        "evidence": "The Framework or its public summary, with its confirmation date.",
        "legal_basis": "Art. 55(1)(b)",
        "code_ref": "Safety and Security M1.1, M1.2",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": True,
        "order": 390,
    },
    {
        "code": "SAF-03",
        "category": "safety_security",
        "title": "Framework reviewed and shared with the AI Office",
        "guidance": (
            "Signatories check at least every 12 months whether the Framework is adequate and "
            "followed, and give the AI Office full access within 5 business days of each confirmed "
            "version."
        ),
        "evidence": (
            "The date of the last Framework assessment, the changelog and any remediation plan."
        ),
        "legal_basis": "Art. 55(1)(b)",
        "code_ref": "Safety and Security M1.3, M1.4",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": False,
        "order": 400,
    },
    {
        "code": "SAF-04",
        "category": "safety_security",
        "title": "Systemic risks identified and analysed",
        "guidance": (
            "Ask which systemic risks were considered and how each was analysed, with scenarios and "
            "an estimate of likelihood and severity. Signatories must always cover chemical, "
            "biological, radiological and nuclear risks, loss of control, cyber offence and harmful "
            "manipulation."
        ),
        "evidence": (
            "The list of risks considered, the risk scenarios and the risk estimates, or the "
            "matching part of the Model Report summary."
        ),
        "legal_basis": "Art. 55(1)(b)",
        "code_ref": "Safety and Security M2.1, M2.2, M3.3, M3.4",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": True,
        "order": 410,
    },
    {
        "code": "SAF-05",
        "category": "safety_security",
        "title": "State-of-the-art evaluations with adversarial testing",
        "guidance": (
            "The model must be evaluated with state-of-the-art methods, adversarial testing such as "
            "red-teaming included, to find and reduce systemic risks. Look at the methods, at how "
            "hard the testers tried to bring out the model's capabilities, and at the results."
        ),
        "evidence": (
            "An evaluation summary or system card: methods, benchmarks, red-teaming results and "
            "dates."
        ),
        "legal_basis": "Art. 55(1)(a); Annex XI section 2, points 1-2",
        "code_ref": "Safety and Security M3.2; Appendix 3",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": True,
        "order": 420,
    },
    {
        "code": "SAF-06",
        "category": "safety_security",
        "title": "Independent external evaluation and researcher access",
        "guidance": (
            "Signatories have independent outsiders evaluate the model unless it is similarly safe "
            "to a reference model or no qualified evaluator can be found, and they do not retaliate "
            "against researchers acting in good faith. Outside review makes the supplier's own "
            "results more credible."
        ),
        "evidence": (
            "Names or reports of the external evaluators (or the reason none took part), the access "
            "they had, and the responsible disclosure policy."
        ),
        "legal_basis": "Art. 55(1)(a)",
        "code_ref": "Safety and Security M3.5, M7.4; Appendix 3.5",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": False,
        "order": 430,
    },
    {
        "code": "SAF-07",
        "category": "safety_security",
        "title": "Risk acceptance criteria and the decision to release",
        "guidance": (
            "Signatories define capability-based risk tiers with a safety margin and release a "
            "model only when its risk is acceptable. Ask for the tiers that apply and the reasons "
            "recorded for releasing this version."
        ),
        "evidence": (
            "The risk tiers or acceptance criteria and the recorded decision to place this version "
            "on the market."
        ),
        "legal_basis": "Art. 55(1)(b)",
        "code_ref": "Safety and Security M4.1, M4.2",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": False,
        "order": 440,
    },
    {
        "code": "SAF-08",
        "category": "safety_security",
        "title": "Safety mitigations that hold up under attack",
        "guidance": (
            "Mitigations must reduce the identified risks and keep working under pressure, such as "
            "jailbreak attempts or fine-tuning meant to remove them. Ask how they were tested "
            "against such attacks and what the release strategy, for example staged access, adds."
        ),
        "evidence": "The list of safety mitigations and the results of robustness tests.",
        "legal_basis": "Art. 55(1)(b)",
        "code_ref": "Safety and Security M5.1",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": True,
        "order": 450,
    },
    {
        "code": "SAF-09",
        "category": "safety_security",
        "title": "Monitoring after release",
        "guidance": (
            "Risks keep changing once a model is in use, so the supplier needs ways to hear about "
            "problems: user feedback, incident forms, bug bounties and watching for misuse. Ask how "
            "what it learns feeds back into its risk assessment."
        ),
        "evidence": "A description of the monitoring channels and of how findings are acted on.",
        "legal_basis": "Art. 55(1)(b)-(c)",
        "code_ref": "Safety and Security M3.5",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": True,
        "order": 460,
    },
    {
        "code": "SAF-10",
        "category": "safety_security",
        "title": "Security goal and protection of model weights",
        "guidance": (
            "Providers of systemic-risk models must keep the model and its infrastructure secure. "
            "Signatories set a security goal that covers outside attackers and insiders, and "
            "protect unreleased weights with measures such as encryption, strict access control and "
            "a register of copies."
        ),
        "evidence": (
            "The security goal and the weight-protection controls, mapped to Appendix 4 of the "
            "Safety and Security chapter or to an equivalent standard."
        ),
        "legal_basis": "Art. 55(1)(d); recital 115",
        "code_ref": "Safety and Security M6.1, M6.2; Appendix 4.1-4.4",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": True,
        "order": 470,
    },
    {
        "code": "SAF-11",
        "category": "safety_security",
        "title": "Security assurance, physical infrastructure included",
        "guidance": (
            "Ask for proof that security is tested from outside: independent reviews, red-teaming, "
            "bug bounties, intrusion detection and an incident response team, with data centres and "
            "hardware in scope."
        ),
        "evidence": (
            "A summary of the latest independent security review or penetration test, and of the "
            "red-teaming and incident-response arrangements."
        ),
        "legal_basis": "Art. 55(1)(d)",
        "code_ref": "Safety and Security Appendix 4.5",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": True,
        "order": 480,
    },
    {
        "code": "SAF-12",
        "category": "safety_security",
        "title": "Model Report given to the AI Office",
        "guidance": (
            "Signatories give the AI Office a report on each model's risks, evaluations and "
            "mitigations by the time it is placed on the market and update it when the picture "
            "changes, at least every six months for their most capable models. Ask when it was last "
            "updated."
        ),
        "evidence": (
            "Confirmation that the report was submitted, and the date of its latest update."
        ),
        "legal_basis": "Art. 55(1); Art. 56",
        "code_ref": "Safety and Security M7.1-M7.7",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": False,
        "order": 490,
    },
    {
        "code": "SAF-13",
        "category": "safety_security",
        "title": "Public summaries of the Framework and Model Report",
        "guidance": (
            "Where it helps to assess or reduce systemic risk, signatories publish summaries of "
            "their Framework and Model Reports with sensitive details removed. These are often the "
            "best evidence a buyer can get without a confidentiality agreement."
        ),
        "evidence": "Links to the published summaries or system card.",
        "legal_basis": "Art. 55(1)(b)",
        "code_ref": "Safety and Security M10.2",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": False,
        "order": 500,
    },
    {
        "code": "SAF-14",
        "category": "safety_security",
        "title": "Model specification and system prompt",
        "guidance": (
            "The Model Report describes how the model is meant to behave: the principles it "
            "follows, how it ranks conflicting instructions, what it refuses and its system prompt. "
            "Knowing these helps you predict how it will act inside your own system."
        ),
        "evidence": (
            "The model specification and default system prompt, or their public equivalent."
        ),
        "legal_basis": "Art. 55(1)(b)",
        "code_ref": "Safety and Security M7.1",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": False,
        "order": 510,
    },
    {
        "code": "SAF-15",
        "category": "safety_security",
        "title": "Responsibility for systemic risk assigned and resourced",
        "guidance": (
            "Signatories give oversight, ownership, monitoring and assurance of systemic risk to "
            "named functions, for example a board committee, executive risk owners, a chief risk "
            "officer and internal audit, and give them the resources they need."
        ),
        "evidence": (
            "An organisation chart or description of who holds each responsibility and what "
            "resources they have."
        ),
        "legal_basis": "Art. 55(1)(b)",
        "code_ref": "Safety and Security M8.1, M8.2",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": False,
        "order": 520,
    },
    {
        "code": "SAF-16",
        "category": "safety_security",
        "title": "Risk culture and whistleblower protection",
        "guidance": (
            "Staff should be able to challenge decisions and report to the authorities without "
            "retaliation. Signatories remind staff of their whistleblower policy every year."
        ),
        "evidence": (
            "The whistleblower policy and a commitment not to retaliate against people who report."
        ),
        "legal_basis": "Art. 87; Directive (EU) 2019/1937",
        "code_ref": "Safety and Security M8.3",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": False,
        "order": 530,
    },
    {
        "code": "SAF-17",
        "category": "safety_security",
        "title": "Serious incidents tracked and reported",
        "guidance": (
            "The supplier must track serious incidents and report them, with possible corrective "
            "measures, to the AI Office without undue delay. Signatories commit to a first report "
            "within 2 to 15 days depending on the harm, updates every 4 weeks, a final report "
            "within 60 days and keeping records for 5 years."
        ),
        "evidence": (
            "The incident procedure, its reporting deadlines and the record-keeping period."
        ),
        "legal_basis": "Art. 55(1)(c); Art. 3(49)",
        "code_ref": "Safety and Security M9.2-M9.4",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": True,
        "order": 540,
    },
    {
        "code": "SAF-18",
        "category": "safety_security",
        "title": "Incident reports to and from you",
        "guidance": (
            "You need a way to tell the supplier about incidents you see, and the supplier should "
            "tell you about incidents involving the model you use. If you build it into a high-risk "
            "AI system, you have reporting duties of your own."
        ),
        "evidence": (
            "The reporting channel for customers and a contract clause obliging the supplier to "
            "inform you of relevant incidents."
        ),
        "legal_basis": "Art. 55(1)(c); Art. 73",
        "code_ref": "Safety and Security M9.1",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": False,
        "order": 550,
    },
    {
        "code": "SAF-19",
        "category": "safety_security",
        "title": "Evaluation and architecture documentation for the authorities",
        "guidance": (
            "For a systemic-risk model the technical documentation must also cover evaluation "
            "strategies and results, adversarial testing and model adaptations, and the system "
            "architecture. Signatories keep it for 10 years; ask for confirmation that it exists."
        ),
        "evidence": (
            "Written confirmation that this additional documentation exists and is current."
        ),
        "legal_basis": "Art. 53(1)(a); Annex XI section 2",
        "code_ref": "Safety and Security M10.1",
        "applies_to": "systemic_risk_only",
        "condition": "",
        "required": True,
        "order": 560,
    },
]


def rules():
    """The applicability rules of the default items, in checklist order."""
    return [
        ItemRule(
            code=item["code"],
            category=item["category"],
            applies_to=item["applies_to"],
            condition=item["condition"],
        )
        for item in ITEMS
    ]
