package rules

import (
	"github.com/strata-dev/strata/internal/lazyre"
	"path"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/strata-dev/strata/lint"
)

// DL3042 reports pip install without --no-cache-dir.
var DL3042 = register(&lint.Rule{
	Code:     "DL3042",
	Name:     "pip-cache-dir",
	Summary:  "Avoid keeping pip's cache: use `pip install --no-cache-dir`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `pip install` (`pip`, `pip3`, `pip3.12`, `python -m pip`) without `--no-cache-dir`. Not " +
			"reported when `PIP_NO_CACHE_DIR` is set to a true value by an `ENV` of the stage (or a stage it is " +
			"built FROM) or in the RUN itself, when a cache or tmpfs mount covers `.cache/pip`, or for pipx and pipenv.",
		Why: "pip keeps every wheel it downloaded or built in `~/.cache/pip`. In an image that cache is never reused, and it is often as large as the installed packages.",
		Fix: "`RUN pip install --no-cache-dir -r requirements.txt`, set `ENV PIP_NO_CACHE_DIR=1` once, or reuse the cache across builds without shipping it: `RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt`.",
	},
	Examples: []lint.Example{
		{Title: "Cache kept", Dockerfile: "FROM python:3.12\nRUN pip3 install MySQL_python==1.2.5\n", Want: []string{"2:5"}},
		{Title: "--no-cache-dir", Dockerfile: "FROM python:3.12\nRUN pip install --no-cache-dir MySQL_python==1.2.5\n"},
		{Title: "PIP_NO_CACHE_DIR inherited from an earlier stage", Dockerfile: "FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install six==1.16.0\n"},
		{Title: "A cache mount", Dockerfile: "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install six==1.16.0\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			if ins.HasCacheMount(".cache/pip") || pipNoCacheEnv(ins) || pipNoCacheInRun().MatchString(s.Text) {
				return
			}
			for _, c := range s.Commands {
				if isPipInstall(c) && !c.HasFlag("no-cache-dir") {
					p.Report(lint.Finding{
						At: ins, Range: c.Range(),
						Message: "pip install keeps downloaded and built wheels in ~/.cache/pip in this layer",
						Help:    "add --no-cache-dir, set ENV PIP_NO_CACHE_DIR=1, or RUN " + mountHint("pip"),
					})
				}
			}
		})
	},
})

var (
	pipName         = lazyre.New(`^pip(\d+(\.\d+)?)?$`)
	pythonName      = lazyre.New(`^python(\d+(\.\d+)?)?$`)
	pipNoCacheInRun = lazyre.New(`PIP_NO_CACHE_DIR=["']?(?i:1|true|yes|on)\b`)
)

// isPipInstall matches pip install and python -m pip install.
func isPipInstall(c *lint.Command) bool {
	name := path.Base(c.Name.Value)
	if pipName().MatchString(name) {
		return c.HasArg("install")
	}
	if pythonName().MatchString(name) {
		for i, a := range c.Args {
			if a.Value == "-m" && i+1 < len(c.Args) && c.Args[i+1].Value == "pip" {
				return c.HasArg("install")
			}
		}
	}
	return false
}

// pipNoCacheEnv reports whether an ENV before ins, in its stage or the
// stages it is built from, sets PIP_NO_CACHE_DIR to a true value.
func pipNoCacheEnv(ins *lint.Instruction) bool {
	value, set := "", false
	var lists [][]*lint.Instruction
	if ins.Stage == nil {
		lists = [][]*lint.Instruction{ins.File.Instructions}
	} else {
		chain := ins.Stage.Ancestors()
		for i := len(chain) - 1; i >= 0; i-- {
			lists = append(lists, chain[i].Instructions)
		}
	}
	for _, list := range lists {
		for _, x := range list {
			if x == ins || (ins.Outer != nil && x == ins.Outer) {
				break
			}
			if env, ok := x.Command.(*instructions.EnvCommand); ok {
				for _, kv := range env.Env {
					if kv.Key == "PIP_NO_CACHE_DIR" {
						value, set = kv.Value, true
					}
				}
			}
		}
	}
	return set && truthy(value)
}
