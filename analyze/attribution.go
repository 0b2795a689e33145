package analyze

// The types below carry what `strata analyze --build` (or --dockerfile)
// learns by joining the image with its Dockerfile and the lint findings on
// it. The analyzer never fills them: internal/attribution does, and the
// reports and the TUI render them when present. They are plain data so
// that analyze knows nothing of the lint engine.

// Instruction is the Dockerfile instruction that made a layer or a history
// entry.
type Instruction struct {
	File string
	// Line and EndLine are 1-based and include continuation lines and
	// heredoc bodies.
	Line, EndLine int
	// Text is the instruction as written, continuation lines joined.
	Text string
	// Stage is the stage's name, or its index as a string when unnamed.
	Stage string
}

// Attribution ties layers and wasted bytes to Dockerfile lines and lint
// rules.
type Attribution struct {
	// Dockerfile is the file the image was matched against; Target the
	// stage built (empty: the last).
	Dockerfile string
	Target     string
	// Method says how layers were mapped to instructions: "buildkit" or
	// "docker" (from the build itself), or "history" (an existing image's
	// history matched against the Dockerfile).
	Method string
	// Unmatched counts layers after the base that no instruction claims.
	Unmatched int
	// Savings lead the report: what each rule or instruction costs, the
	// biggest first.
	Savings []Saving
	// Lint is every lint finding on the Dockerfile, with the bytes it costs
	// when it sits on an instruction that made a layer.
	Lint []LintFinding
	// WastedBytes is the image's wasted bytes (Figures.Wasted);
	// AttributedBytes the part tied to an instruction, RuleBytes the part
	// tied to a lint rule as well.
	WastedBytes, AttributedBytes, RuleBytes int64
	// Waste parallels Result.Waste: who owns each wasted copy.
	Waste []WasteOwner
	// Build describes the build, when strata ran it.
	Build *BuildInfo
}

// Saving is one row of the savings table: bytes that a rule (or, where no
// rule applies, a kind of waste) costs at one instruction.
type Saving struct {
	// Rule is the lint code ("DL3009"), empty for waste no rule covers.
	Rule string
	// Kind names the waste or cache when there is no rule ("deleted-later",
	// "chmod-later", "overwritten-later", "duplicate", "base-image") and
	// the cache for rules ("apt lists").
	Kind        string
	Instruction Instruction
	// ShadowedBy is the instruction that made stored bytes waste (a later
	// rm, chmod or overwrite), nil for caches that survive.
	ShadowedBy *Instruction
	// Layer is the 0-based layer that stored the bytes, -1 when several.
	Layer int
	// Bytes is what fixing it saves; Wasted the part of it that is waste
	// (the rest still sits in the final file system).
	Bytes, Wasted int64
	Files         int
	Fix           string
	Message       string
}

// LintFinding is one lint diagnostic joined with the image.
type LintFinding struct {
	File         string
	Line, Column int
	EndLine      int
	Code         string
	Severity     string
	Message      string
	// Layer is the 0-based layer the instruction made, -1 for none.
	Layer int
	// Bytes is what the finding costs in that layer (0 when unknown or
	// nothing).
	Bytes int64
}

// WasteOwner says who is answerable for one wasted copy: the instruction
// that stored it (or, for bytes stored by the base image, the instruction
// that shadowed them), and the rule that would have saved it.
type WasteOwner struct {
	// Instruction is nil when the layers could not be mapped.
	Instruction *Instruction
	Rule        string
	Kind        string
}

// BuildInfo is how the image was built.
type BuildInfo struct {
	// Builder is "buildkit" or "docker"; Address the daemon's.
	Builder, Address string
	Context          string
	// Seconds spent building (until the image could be read) and in all
	// (lint, build, analysis, join).
	BuildSeconds, TotalSeconds float64
	// LintSeconds is the time lint took before the build.
	LintSeconds float64
}
