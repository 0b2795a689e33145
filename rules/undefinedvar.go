package rules

import (
	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/strata-dev/strata/lint"
)

// UndefinedVar reports variables used before anything defines them.
var UndefinedVar = register(&lint.Rule{
	Code:     "UndefinedVar",
	Name:     "undefined-var",
	Summary:  "Define a variable (ARG or ENV) before using it",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `$VAR` or `${VAR...}` that the Dockerfile expands (in `ENV`, `ARG` defaults, `LABEL`, " +
			"`COPY`/`ADD` sources, destination and flags, `WORKDIR`, `USER`, `VOLUME`, `STOPSIGNAL`, `RUN --mount` " +
			"options, heredoc files that expand) while neither an `ARG` nor an `ENV` of the stage (or a stage it is " +
			"built from) has defined it. `${VAR:-default}` counts as a use. The shell expands the variables of `RUN`, " +
			"and of `CMD`/`ENTRYPOINT` in shell form, at run time: those are not checked. The message suggests a " +
			"defined name when one is close, and says when the name is a global ARG or a predefined ARG " +
			"(`TARGETARCH`, ...) that the stage has not declared." + bkStops,
		Why: "An undefined variable expands to an empty string without any error: `COPY $APP_DIR/ /srv/` copies the " +
			"whole context, `ENV PATH=$PAHT:/app/bin` drops the system path.",
		Fix: "Declare the variable where it is used: `ARG NAME` (with a default, or a bare `ARG NAME` to bring a " +
			"global ARG or a predefined platform ARG into the stage) or `ENV NAME=value`; or correct the spelling.",
		Differences: bkNoImage + " Variables a base image defines (such as `PYTHON_VERSION` in the python images) " +
			"are therefore reported, where BuildKit, which reads the image's configuration, does not: suppress the " +
			"finding where the base image provides the variable.",
	},
	Examples: []lint.Example{
		{Title: "A typo", Dockerfile: "FROM alpine:3.20\nENV APP_HOME=/srv/app\nWORKDIR $APP_HOEM\n", Want: []string{"3:9"}},
		{Title: "A global ARG not declared in the stage", Dockerfile: "ARG VERSION=1.2\nFROM alpine:3.20\nLABEL version=$VERSION\n", Want: []string{"3:15"}},
		{Title: "Declared", Dockerfile: "ARG VERSION=1.2\nFROM alpine:3.20\nARG VERSION\nARG TARGETARCH\nLABEL version=$VERSION arch=$TARGETARCH\n"},
	},
	Check: checkBuildKit,
})

var predefinedArgs = map[string]bool{
	"BUILDPLATFORM": true, "BUILDOS": true, "BUILDOSVERSION": true, "BUILDARCH": true, "BUILDVARIANT": true,
	"TARGETPLATFORM": true, "TARGETOS": true, "TARGETOSVERSION": true, "TARGETARCH": true, "TARGETVARIANT": true,
	"TARGETSTAGE": true,
}

var proxyArgs = map[string]bool{
	"HTTP_PROXY": true, "http_proxy": true, "HTTPS_PROXY": true, "https_proxy": true,
	"FTP_PROXY": true, "ftp_proxy": true, "NO_PROXY": true, "no_proxy": true, "ALL_PROXY": true, "all_proxy": true,
}

// undefinedVars is BuildKit's reportUnmatchedVariables for one expanded
// word of command c.
func (s *bkSim) undefinedVars(st *bkStage, c bkCmd, unmatched map[string]struct{}) {
	for _, name := range sortedKeys(unmatched) {
		if _, ok := st.buildArgs[name]; ok || name == "BUILDKIT_SBOM_SCAN_CONTEXT" || name == "BUILDKIT_SBOM_SCAN_STAGE" {
			continue
		}
		empty := ", so it expands to an empty string"
		msg := "$" + name + " is not defined at this point" + empty + didYouMean(name, st.env.Keys())
		help := "declare it before use: ARG " + name + " (with a default) or ENV " + name + "=<value>"
		_, global := s.declared[name]
		switch other := s.definedElsewhere(st, name); {
		case setBySameEnv(c, name):
			msg = "$" + name + " is set by this same ENV, which expands all its values before setting any" + empty
			help = "set " + name + " in an earlier ENV, or write its value here directly"
		case global:
			msg = "$" + name + " is a global ARG, which a stage does not see until it declares `ARG " + name + "`" + empty
			help = "add `ARG " + name + "` to this stage before using it"
		case predefinedArgs[name]:
			msg = "$" + name + " is a predefined ARG, which a stage does not see until it declares `ARG " + name + "`" + empty
			help = "add `ARG " + name + "` to this stage before using it"
		case proxyArgs[name]:
			msg = "$" + name + " is predefined only for RUN" + empty + " here"
			help = "add `ARG " + name + "` to this stage to use it outside RUN"
		case other != "":
			msg = "$" + name + " is defined in stage " + other + ", not in this one" + empty
			help = "stages share variables only when one is built FROM the other: declare it in this stage"
		}
		s.add(bkFinding{
			rule: "UndefinedVar", ins: c.ins, rng: s.varRange(c, name),
			msg:  msg + s.triggerNote(c),
			help: help,
		}, c.comments)
	}
}

// definedElsewhere names a stage, other than st, with an ARG or ENV name.
func (s *bkSim) definedElsewhere(st *bkStage, name string) string {
	for _, other := range s.stages {
		if other == st || other.env == nil {
			continue
		}
		if _, ok := other.env.Get(name); ok {
			if other.name != "" {
				return other.name
			}
			return "on line " + itoa(s.f.Instructions[other.ins].StartLine)
		}
	}
	return ""
}

// setBySameEnv reports whether an ENV sets name in one pair and uses it in
// a later one (ENV A=1 B=$A).
func setBySameEnv(c bkCmd, name string) bool {
	env, ok := c.cmd.(*instructions.EnvCommand)
	if !ok {
		return false
	}
	set := false
	for _, kv := range env.Env {
		if set && len(varRefs(kv.Key+"="+kv.Value, name)) > 0 {
			return true
		}
		set = set || kv.Key == name
	}
	return false
}
