"""The default clause library: contract clauses a buyer asks of a GPAI model supplier.

Curators start each library version from these clauses; a data migration publishes them as
version 1. Keys are stable: Legal's changes to clause packs refer to them, so a changed clause
keeps its key. The texts are our own drafting, not legal advice; the legal basis says where to
read the rule a clause builds on.

Clause text: paragraphs are separated by a blank line; a paragraph that starts with "(a) ",
"(b) " ... is an item of a list. Placeholders are those of `contracts.placeholders`.
"""

from textwrap import dedent

VERSION_NAME = "Default clause library"


def _text(text):
    return dedent(text).strip()


CLAUSES = [
    # General ---------------------------------------------------------------------------------
    {
        "key": "definitions",
        "title": "Definitions and scope",
        "category": "general",
        "legal_basis": "AI Act Art. 3; Art. 56",
        "trigger_kind": "always",
        "trigger_param": "",
        "body": _text("""
            In this schedule, “AI Act” means Regulation (EU) 2024/1689 and “Code of Practice”
            means the General-Purpose AI Code of Practice published on 10 July 2025.
            “General-purpose AI model”, “provider”, “downstream provider”, “systemic risk”,
            “serious incident” and “AI Office” have the meaning given to them by the AI Act.

            “Model” means the general-purpose AI model {{ model.name }}, version
            {{ model.version }}, and every update, variant or successor of it that
            {{ supplier.legal_name }} (the “Supplier”) makes available to the Customer under the
            agreement.

            This schedule forms part of the agreement concluded under procurement reference
            {{ assessment.reference }} and is dated {{ today }}. Where it conflicts with another
            part of the agreement, this schedule prevails.
        """),
    },
    # Information and documentation -----------------------------------------------------------
    {
        "key": "downstream-information",
        "title": "Information for downstream providers",
        "category": "documentation",
        "legal_basis": "AI Act Art. 53(1)(b), Annex XII; Code of Practice, Transparency, Measures 1.1-1.2",
        "trigger_kind": "always",
        "trigger_param": "",
        "body": _text("""
            The Supplier shall make available to the Customer the information that a provider of
            AI systems needs to integrate the Model and to meet its own obligations under the AI
            Act. The information covers at least the elements listed in Annex XII of the AI Act
            and the items that the Model Documentation Form of the Code of Practice marks for
            downstream providers.

            The Supplier shall deliver that information, and any further information the Customer
            reasonably needs to understand the capabilities and limitations of the Model, within
            14 days of the Customer’s written request. The Supplier shall keep the information up
            to date and send each updated version to the Customer without being asked.

            The Supplier may protect its trade secrets and confidential business information, but
            not by withholding information the Customer needs to meet its legal obligations.
        """),
    },
    {
        "key": "change-notice",
        "title": "Notice of changes",
        "category": "documentation",
        "legal_basis": "AI Act Art. 53(1)(a)-(b); Code of Practice, Transparency, Measure 1.1",
        "trigger_kind": "always",
        "trigger_param": "",
        "body": _text("""
            The Supplier shall notify the Customer in writing at least 30 days before a planned
            change takes effect, and otherwise within 5 working days after the change, of:

            (a) any material change to the Model, including a new version, a change of its
            capabilities, modalities, input limits or intended uses, and its withdrawal;

            (b) any material change to the documentation or information delivered under this
            schedule; and

            (c) any change in the Supplier’s status as a signatory of the Code of Practice,
            chapter by chapter, including a withdrawal. At the date of this schedule the Supplier
            has signed: {{ chapters.signed }}.
        """),
    },
    {
        "key": "training-summary",
        "title": "Public summary of training content",
        "category": "documentation",
        "legal_basis": "AI Act Art. 53(1)(d); AI Office template of 24 July 2025",
        "trigger_kind": "always",
        "trigger_param": "",
        "body": _text("""
            The Supplier warrants that it has published a sufficiently detailed summary of the
            content used to train the Model, drawn up with the template of the AI Office, and
            shall keep it published and up to date, revising it at least every six months and
            sooner after a material change.

            The Supplier shall give the Customer the address where the summary is published and
            notify the Customer of each revision.
        """),
    },
    {
        "key": "outstanding-information",
        "title": "Information still outstanding",
        "category": "documentation",
        "legal_basis": "AI Act Art. 53(1)(b); Code of Practice, Transparency, Measure 1.2",
        "trigger_kind": "item_open",
        "trigger_param": "",
        "body": _text("""
            The items of the due-diligence status table in this document that are marked open,
            requested or received are not yet settled. The Supplier shall deliver the information
            and evidence still missing for those items within 14 days of the date of this
            schedule, and answer each follow-up question of the Customer within 14 days.
        """),
    },
    {
        "key": "integration-information",
        "title": "Integration information as a condition",
        "category": "documentation",
        "legal_basis": "AI Act Art. 53(1)(b), Annex XII",
        "trigger_kind": "item_gap",
        "trigger_param": "DOC-11",
        "body": _text("""
            The Supplier has not delivered the information for integrators that Annex XII of the
            AI Act requires. The Customer is not obliged to integrate the Model into any AI
            system, or to pay for such use, until the Supplier has delivered that information in
            full and the Customer has confirmed in writing that it is complete.
        """),
    },
    {
        "key": "open-source-exemption",
        "title": "Conditions of the open-source exemption",
        "category": "documentation",
        "legal_basis": "AI Act Art. 53(2), Art. 54(6); recitals 102-104",
        "trigger_kind": "open_source_claimed",
        "trigger_param": "",
        "body": _text("""
            The Supplier relies on the exemption of Article 53(2) of the AI Act for the Model. It
            warrants that the Model is released under a free and open-source licence that allows
            its access, use, modification and distribution; that its parameters, including the
            weights, and the information on its architecture and use are publicly available;
            that the release is not monetised; and that the Model has no systemic risk.

            The Supplier shall notify the Customer without delay when any of these conditions
            ceases to be met. From then on, the clauses of this schedule on documentation and on
            the authorised representative apply in full, and the Supplier shall deliver the
            information they require within 30 days.
        """),
    },
    {
        "key": "other-means-transparency",
        "title": "Documentation duties without the Transparency chapter",
        "category": "documentation",
        "legal_basis": "AI Act Art. 53(1)(a)-(b), Art. 53(4)",
        "trigger_kind": "chapter_not_signed",
        "trigger_param": "transparency",
        "body": _text("""
            The Supplier has not signed the Transparency chapter of the Code of Practice and must
            therefore show by other adequate means that it meets its documentation duties under
            Article 53(1)(a) and (b) of the AI Act for the Model.

            Within 30 days of the date of this schedule, the Supplier shall describe those means
            to the Customer in writing, with the documents that support them. It shall inform the
            Customer without delay of any request, objection or finding of the AI Office about
            them.
        """),
    },
    # Copyright -------------------------------------------------------------------------------
    {
        "key": "copyright-policy",
        "title": "Copyright policy",
        "category": "copyright",
        "legal_basis": "AI Act Art. 53(1)(c); Code of Practice, Copyright, Measure 1.1",
        "trigger_kind": "always",
        "trigger_param": "",
        "body": _text("""
            The Supplier warrants that it has drawn up, keeps up to date and implements a policy
            to comply with Union law on copyright and related rights, that the policy covers the
            whole life cycle of the Model, and that a named function in its organisation is
            responsible for it.

            The Supplier shall give the Customer the policy, or a summary describing all its
            measures, within 14 days of a request, and inform the Customer of material changes
            to it.
        """),
    },
    {
        "key": "tdm-opt-outs",
        "title": "Text-and-data-mining opt-outs and robots.txt",
        "category": "copyright",
        "legal_basis": "AI Act Art. 53(1)(c); Directive (EU) 2019/790 Art. 4(3); Code of Practice, Copyright, Measures 1.2-1.3",
        "trigger_kind": "always",
        "trigger_param": "",
        "body": _text("""
            The Supplier warrants that, in gathering content to train the Model, it and anyone
            acting on its behalf:

            (a) identified and respected reservations of rights made under Article 4(3) of
            Directive (EU) 2019/790, using web crawlers that read and follow robots.txt
            instructions under RFC 9309 and other machine-readable protocols that are
            standardised or widely used by rightsholders;

            (b) did not circumvent paywalls, subscription barriers or other effective
            technological measures; and

            (c) left out websites that courts or public authorities in the EU or EEA have
            recognised as infringing copyright persistently and on a commercial scale.

            On request, the Supplier shall tell the Customer which crawlers it uses and how they
            treat robots.txt, and how it checked that data sets obtained from others were
            gathered on the same terms.
        """),
    },
    {
        "key": "infringing-output",
        "title": "Safeguards against infringing output",
        "category": "copyright",
        "legal_basis": "AI Act Art. 53(1)(c); Code of Practice, Copyright, Measure 1.4",
        "trigger_kind": "always",
        "trigger_param": "",
        "body": _text("""
            The Supplier shall maintain appropriate and proportionate technical safeguards that
            prevent the Model from producing output that reproduces training content in a way
            that infringes copyright or related rights, and shall describe those safeguards and
            the results of their testing to the Customer on request.

            The Supplier’s acceptable use policy or terms of use shall prohibit uses of the Model
            that infringe copyright or related rights.
        """),
    },
    {
        "key": "rightsholder-complaints",
        "title": "Contact point and complaints of rightsholders",
        "category": "copyright",
        "legal_basis": "AI Act Art. 53(1)(c); Code of Practice, Copyright, Measure 1.5",
        "trigger_kind": "always",
        "trigger_param": "",
        "body": _text("""
            The Supplier shall maintain an electronic contact point, easy to find, through which
            rightsholders and their representatives can lodge substantiated complaints about the
            Supplier’s compliance with its copyright commitments, and shall handle complaints
            diligently and within a reasonable time.

            Where a complaint concerns output that the Customer generated with the Model or
            content the Customer supplied, the Supplier shall inform the Customer promptly and
            the parties shall cooperate in answering it.
        """),
    },
    {
        "key": "other-means-copyright",
        "title": "Copyright duties without the Copyright chapter",
        "category": "copyright",
        "legal_basis": "AI Act Art. 53(1)(c), Art. 53(4)",
        "trigger_kind": "chapter_not_signed",
        "trigger_param": "copyright",
        "body": _text("""
            The Supplier has not signed the Copyright chapter of the Code of Practice and must
            therefore show by other adequate means that its copyright policy meets Article
            53(1)(c) of the AI Act, in particular that it identifies and respects reservations of
            rights with state-of-the-art technologies.

            Within 30 days of the date of this schedule, the Supplier shall give the Customer its
            copyright policy and a written account of how each commitment of this schedule’s
            copyright clauses is met, with supporting evidence.
        """),
    },
    # Safety and security ---------------------------------------------------------------------
    {
        "key": "serious-incidents",
        "title": "Serious incidents",
        "category": "safety_security",
        "legal_basis": "AI Act Art. 55(1)(c), Art. 3(49); Code of Practice, Safety and Security, Commitment 9",
        "trigger_kind": "systemic_risk",
        "trigger_param": "",
        "body": _text("""
            The Supplier shall track, document and report to the AI Office without undue delay
            the serious incidents involving the Model and the corrective measures taken.

            The Supplier shall notify the Customer of any serious incident that involves the
            Model or may affect the Customer’s use of it, at the latest when it reports the
            incident to the AI Office, with the information it has and the measures the Customer
            should take. It shall keep the Customer informed until the incident is resolved and
            give the Customer its final report, redacted only as far as confidentiality requires.

            The Supplier shall provide a channel through which the Customer can report incidents
            and suspected incidents involving the Model.
        """),
    },
    {
        "key": "model-report-summaries",
        "title": "Summaries of the Framework and the Model Report",
        "category": "safety_security",
        "legal_basis": "AI Act Art. 55(1)(a)-(b); Code of Practice, Safety and Security, Commitments 1 and 7, Measure 10.2",
        "trigger_kind": "systemic_risk",
        "trigger_param": "",
        "body": _text("""
            The Supplier shall give the Customer, on request and at least with each new version
            of the Model, summaries of its Safety and Security Framework and of its latest Safety
            and Security Model Report for the Model. The summaries cover the systemic risks
            assessed, the results of evaluations and adversarial testing, and the safety and
            security mitigations in place.

            The Supplier may leave out sensitive information, but not a finding that a systemic
            risk of the Model is not acceptable or that a mitigation has failed.
        """),
    },
    {
        "key": "cybersecurity",
        "title": "Cybersecurity of the model",
        "category": "safety_security",
        "legal_basis": "AI Act Art. 55(1)(d), recital 115; Code of Practice, Safety and Security, Commitment 6",
        "trigger_kind": "systemic_risk",
        "trigger_param": "",
        "body": _text("""
            The Supplier shall ensure an adequate level of cybersecurity for the Model and its
            physical infrastructure, including the protection of unreleased model weights against
            theft and unauthorised release, and shall notify the Customer without undue delay of
            any security breach that affects the Model, the Customer’s data or the Customer’s use
            of the Model.
        """),
    },
    {
        "key": "safety-evidence",
        "title": "Safety and security evidence before production use",
        "category": "safety_security",
        "legal_basis": "AI Act Art. 55(1)",
        "trigger_kind": "item_open",
        "trigger_param": "safety_security",
        "body": _text("""
            Safety and security items of the due diligence are still open. The Customer may
            delay the production use of the Model, without liability, until the Supplier has
            delivered the evidence for those items and the Customer has accepted it.
        """),
    },
    {
        "key": "other-means-safety",
        "title": "Systemic-risk duties without the Safety and Security chapter",
        "category": "safety_security",
        "legal_basis": "AI Act Art. 55(1)-(2)",
        "trigger_kind": "chapter_not_signed",
        "trigger_param": "safety_security",
        "body": _text("""
            The Model has systemic risk and the Supplier has not signed the Safety and Security
            chapter of the Code of Practice. The Supplier must therefore show by other adequate
            means that it meets its obligations under Article 55(1) of the AI Act.

            Within 30 days of the date of this schedule, the Supplier shall describe to the
            Customer how it evaluates the Model, assesses and mitigates systemic risks, reports
            serious incidents and protects the Model’s security, with supporting evidence.
        """),
    },
    # Compliance and cooperation --------------------------------------------------------------
    {
        "key": "authorised-representative",
        "title": "Authorised representative in the Union",
        "category": "compliance",
        "legal_basis": "AI Act Art. 54",
        "trigger_kind": "provider_outside_eu",
        "trigger_param": "",
        "body": _text("""
            {{ supplier.name }} is established outside the European Union
            ({{ supplier.country }}). The Supplier warrants that, before placing the Model on the
            Union market, it appointed by written mandate an authorised representative
            established in the Union with the tasks set out in Article 54(3) of the AI Act. The
            representative on record is: {{ supplier.representative }}.

            The Supplier shall keep the mandate in force for as long as it makes the Model
            available to the Customer, and shall notify the Customer within 5 working days if the
            mandate ends or the representative changes.
        """),
    },
    {
        "key": "ai-office-cooperation",
        "title": "Cooperation with the AI Office",
        "category": "compliance",
        "legal_basis": "AI Act Art. 53(3), Arts. 91-93",
        "trigger_kind": "always",
        "trigger_param": "",
        "body": _text("""
            The Supplier shall cooperate with the Commission, the AI Office and national
            competent authorities in the exercise of their powers concerning the Model, and with
            the Customer where an authority asks the Customer about an AI system that integrates
            the Model.

            As far as the law allows, the Supplier shall inform the Customer of any request for
            information, evaluation, measure, restriction, withdrawal or recall that the
            Commission addresses to it concerning the Model and that may affect the Customer.
        """),
    },
    {
        "key": "audit-rights",
        "title": "Information and audit rights",
        "category": "compliance",
        "legal_basis": "Contractual; AI Act Art. 53(1)(b)-(c)",
        "trigger_kind": "always",
        "trigger_param": "",
        "body": _text("""
            Once a year, and in addition after a serious incident or on a reasoned suspicion of
            non-compliance, the Customer may verify the Supplier’s compliance with this schedule
            by written questions, which the Supplier shall answer within 30 days, or by an audit
            carried out on 30 days’ notice by an independent auditor bound by confidentiality.

            The Supplier shall give the auditor access to the documents, records and staff
            reasonably needed. Each party bears its own costs, unless the audit finds a material
            breach, in which case the Supplier bears the cost of the audit.
        """),
    },
    {
        "key": "legacy-model",
        "title": "Legacy model: compliance by 2 August 2027",
        "category": "compliance",
        "legal_basis": "AI Act Art. 111(3)",
        "trigger_kind": "legacy_model",
        "trigger_param": "",
        "body": _text("""
            The Model was placed on the Union market before 2 August 2025. The Supplier warrants
            that the Model, and every version of it made available to the Customer, will meet
            the obligations of Chapter V of the AI Act no later than 2 August 2027, including the
            public summary of training content and the copyright policy.

            Within 60 days of the date of this schedule, the Supplier shall give the Customer a
            plan showing how and when it will meet each obligation, and report on its progress
            every six months until it is complete.
        """),
    },
    # Remedies and liability ------------------------------------------------------------------
    {
        "key": "remediation-plan",
        "title": "Remediation plan for the gaps found",
        "category": "remedies",
        "legal_basis": "Contractual; AI Act Arts. 53-55",
        "trigger_kind": "item_gap",
        "trigger_param": "",
        "body": _text("""
            The Customer’s due diligence under reference {{ assessment.reference }} (decision
            date: {{ decision.date }}) found the gaps marked in the status table of this
            document. Within 30 days of the date of this schedule, the Supplier shall give the
            Customer a written remediation plan that sets out, for each gap, the measures it will
            take, the evidence it will deliver and a deadline no later than 90 days after the
            date of this schedule.

            The Supplier shall report on the plan every 30 days until each gap is closed. A gap
            that is not closed by its deadline is a material breach of the agreement.
        """),
    },
    {
        "key": "suspension",
        "title": "Suspension",
        "category": "remedies",
        "legal_basis": "Contractual; AI Act Art. 93",
        "trigger_kind": "always",
        "trigger_param": "",
        "body": _text("""
            The Customer may suspend its use of the Model, and its payment obligations for the
            suspended services, without liability, if:

            (a) the Commission or a competent authority requests or orders that the Model be
            restricted, withdrawn or recalled, or finds that the Supplier does not comply with
            the AI Act for the Model;

            (b) the Supplier fails to deliver information or a notice due under this schedule
            within 10 working days of a reminder; or

            (c) a serious incident or security breach involving the Model has not been contained.

            The suspension ends when the Supplier shows that its cause has been removed.
        """),
    },
    {
        "key": "termination",
        "title": "Termination",
        "category": "remedies",
        "legal_basis": "Contractual",
        "trigger_kind": "always",
        "trigger_param": "",
        "body": _text("""
            The Customer may terminate the agreement, in whole or for the Model only, with
            immediate effect by written notice and without liability, if:

            (a) the Supplier is in material breach of this schedule and does not remedy the
            breach within 30 days of a notice describing it;

            (b) the Model is withdrawn or recalled from the Union market, or the Supplier can no
            longer lawfully make it available there; or

            (c) a suspension under this schedule lasts more than 60 days.

            On termination, the Supplier shall support the orderly move of the Customer’s AI
            systems to another model for up to 90 days on the terms of the agreement.
        """),
    },
    {
        "key": "ip-indemnity",
        "title": "Indemnity against intellectual-property claims",
        "category": "remedies",
        "legal_basis": "Contractual; AI Act Art. 53(1)(c)",
        "trigger_kind": "always",
        "trigger_param": "",
        "body": _text("""
            The Supplier shall defend the Customer against any claim by a third party that the
            Model, its training, or output generated with it in accordance with the agreement
            infringes copyright, a related right, a database right, a trade secret or another
            intellectual-property right, and shall indemnify the Customer against the damages,
            costs and reasonable legal fees that result.

            The indemnity does not cover output the Customer knowingly used in an infringing way,
            or an infringement caused by content the Customer supplied. The Customer shall notify
            the Supplier of a claim promptly, let it conduct the defence and give it reasonable
            help at the Supplier’s cost.
        """),
    },
]

for _index, _clause in enumerate(CLAUSES, start=1):
    _clause["order"] = _index * 10
