package lint

// The engine's own rules: they are reported by the engine itself rather
// than by a Check over the model, but they are documented, selected and
// tested like every other rule.

// ParseErrorRule reports what does not parse (hadolint's pseudo-code).
var ParseErrorRule = &Rule{
	Code:     "DL1000",
	Name:     "parse-error",
	Summary:  "The Dockerfile does not parse",
	Severity: SeverityError,
	Origin:   OriginHadolint,
	Status:   StatusStable,
	Since:    "0.1.0",
	Docs: Docs{
		What: "Reports an instruction that Docker's parser (BuildKit) rejects: an unknown instruction, a malformed " +
			"flag, a bad JSON array, an unterminated heredoc, a repeated parser directive, a line longer than 64 KiB.",
		Why: "`docker build` stops at the first such instruction. strata reports each broken instruction and still " +
			"lints every other one, so one typo does not hide the rest of the findings.",
		Fix: "Correct the instruction as the message says.",
		Differences: "hadolint stops at the first parse error and lints nothing else; strata reports each broken " +
			"instruction and lints the rest. The messages are BuildKit's, since BuildKit is what builds the image.",
	},
	Examples: []Example{
		{Title: "An unknown instruction", Dockerfile: "FROM alpine:3.20\nRUNN echo hi\nRUN echo ok\n", Want: []string{"2:1"}},
		{Title: "Valid instructions", Dockerfile: "FROM alpine:3.20\nRUN echo hi\n"},
	},
	Check: func(p *Pass) {
		for _, e := range p.File.ParseErrors {
			p.Report(Finding{Range: e.Range, Message: e.Message})
		}
		for _, ins := range p.File.Instructions {
			if ins.Err != nil {
				p.Report(Finding{At: ins, Range: ins.Range(), Message: cleanError(ins.Err)})
			} else if ins.OnBuild != nil && ins.OnBuild.Err != nil {
				p.Report(Finding{At: ins, Range: ins.Range(), Message: cleanError(ins.OnBuild.Err)})
			}
		}
	},
}

// UnusedSuppressionRule reports suppression codes that suppressed nothing.
var UnusedSuppressionRule = &Rule{
	Code:     "ST0001",
	Name:     "unused-suppression",
	Summary:  "A suppression comment names a rule that reported nothing there",
	Severity: SeverityInfo,
	Origin:   OriginStrata,
	Status:   StatusStable,
	Since:    "0.1.0",
	Docs: Docs{
		What: "Reports a code in a `# hadolint ignore=`, `# hadolint global ignore=` or `# strata: ignore=` comment, " +
			"or a name in BuildKit's `# check=skip=` directive, when that rule ran and found nothing to suppress.",
		Why: "Stale suppressions hide future findings: once the instruction is fixed, the comment silently " +
			"disables the rule for whatever is written there next.",
		Fix: "Remove the code from the comment (or the whole comment).",
	},
	Examples: []Example{
		{Title: "Nothing to suppress", Dockerfile: "FROM alpine:3.20\n# hadolint ignore=DL3007\nRUN echo hi\n", Want: []string{"2:19"}},
		{Title: "The suppression is used", Dockerfile: "# hadolint ignore=DL3007\nFROM alpine:latest\n"},
		{Title: "A check=skip name that skips nothing", Dockerfile: "# check=skip=FromAsCasing\nFROM alpine:3.20\nUSER 65532\n", Want: []string{"1:14"}},
	},
}

// UnknownSuppressionRule reports codes that name no rule.
var UnknownSuppressionRule = &Rule{
	Code:     "ST0002",
	Name:     "unknown-suppression-code",
	Summary:  "A suppression comment names a rule that does not exist",
	Severity: SeverityInfo,
	Origin:   OriginStrata,
	Status:   StatusStable,
	Since:    "0.1.0",
	Docs: Docs{
		What: "Reports a code in a suppression comment, or a name in BuildKit's `# check=skip=` directive, that is " +
			"neither a strata rule nor a ShellCheck code (`SCxxxx`) nor another real code of hadolint or BuildKit " +
			"(hadolint's retired DL3005, DL3017, DL3031 and DL3039; BuildKit's InvalidBaseImagePlatform, which " +
			"match nothing here). `# check=skip=all` is valid on its own; `all` inside a list skips nothing, " +
			"as in BuildKit, and is reported.",
		Why: "A misspelt code suppresses nothing, so the finding it was meant to silence is still reported. In a " +
			"`# hadolint ignore=` comment, a code not even spelt like one (`crazy`) voids the whole comment, as " +
			"hadolint does; otherwise only the unknown code is dropped.",
		Fix: "Correct the code; `strata rules` lists them all.",
	},
	Examples: []Example{
		{Title: "A misspelt code", Dockerfile: "# hadolint ignore=DL3O07\nFROM alpine:latest\n", Want: []string{"1:19"}},
		{Title: "A real code", Dockerfile: "# hadolint ignore=DL3007\nFROM alpine:latest\n"},
		{Title: "A misspelt check=skip name", Dockerfile: "# check=skip=FromAsCase\nFROM alpine:3.20\nUSER 65532\n", Want: []string{"1:14"}},
	},
}

// SuppressionReasonRule reports strata suppressions without a reason.
var SuppressionReasonRule = &Rule{
	Code:     "ST0003",
	Name:     "suppression-without-reason",
	Summary:  "A `# strata: ignore=` comment gives no reason",
	Severity: SeverityWarning,
	Origin:   OriginStrata,
	Status:   StatusStable,
	Since:    "0.1.0",
	Docs: Docs{
		What: "Reports a `# strata: ignore=CODE` comment with nothing after the codes. The suppression still applies.",
		Why: "A suppression is a decision; without its reason the next reader cannot tell whether it still holds. " +
			"strata's own suppression syntax requires one (hadolint's syntax is accepted as it is).",
		Fix: "Write the reason after the codes: `# strata: ignore=DL3008 versions come from the snapshot mirror`.",
	},
	Examples: []Example{
		{Title: "No reason", Dockerfile: "# strata: ignore=DL3007\nFROM alpine:latest\n", Want: []string{"1:1"}},
		{Title: "With a reason", Dockerfile: "# strata: ignore=DL3007 the nightly job tracks latest on purpose\nFROM alpine:latest\n"},
	},
}

// Builtins are the engine's own rules.
func Builtins() []*Rule {
	return []*Rule{ParseErrorRule, UnusedSuppressionRule, UnknownSuppressionRule, SuppressionReasonRule, ShellCheckRule}
}
