package rules

import (
	"github.com/strata-dev/strata/internal/lazyre"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST3008 reports sudo installed or configured in the image.
var ST3008 = register(&lint.Rule{
	Code:     "ST3008",
	Name:     "sudo-installed",
	Summary:  "Do not install sudo or grant passwordless sudo in the image",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports the `sudo` package installed by a package manager (`apt-get`/`apt`/`aptitude install`, " +
			"`apk add`, `yum`/`dnf`/`microdnf`/`tdnf`/`zypper install`, `pacman -S`), and `NOPASSWD` sudoers rules " +
			"written by a `RUN` or a `COPY` heredoc, in stages that end up in the image (the final stage, the " +
			"stages it is built `FROM`, and `ONBUILD`). Running `sudo` is hadolint's DL3004 and is not reported " +
			"here.",
		Why: "A container's user is chosen when the image is built (`USER`) or run (`--user`); sudo adds a setuid " +
			"root binary whose only purpose is to undo that. With `NOPASSWD` (or a password baked into the image) " +
			"any process of the unprivileged user, including one an attacker controls, becomes root with one " +
			"command, so `USER app` protects nothing.",
		Fix: "Do the root work in `RUN` before `USER`, and drop privileges at start with `gosu` or `su-exec` when " +
			"an entrypoint must begin as root. For development containers that need admin rights, prefer " +
			"`docker exec -u root`.",
		Peers: "Complements hadolint's DL3004 (`sudo` used in a RUN), which Trivy DS-0010 (AVD-DS-0010), Checkov " +
			"CKV2_DOCKER_1 and dockle DKL-DI-0001 also cover. No peer reports sudo being installed or configured.",
	},
	Examples: []lint.Example{
		{Title: "sudo installed and passwordless", Dockerfile: "FROM debian:12\n" +
			"RUN apt-get update && apt-get install -y --no-install-recommends sudo \\\n" +
			" && useradd -m dev && echo 'dev ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/dev\nUSER dev\n",
			Want: []string{"2:66", "3:43"}},
		{Title: "Root work before USER", Dockerfile: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n" +
			" && useradd -m app\nUSER app\n"},
		{Title: "In a build stage that is thrown away", Dockerfile: "FROM alpine:3.20 AS build\nRUN apk add --no-cache sudo build-base\n" +
			"FROM alpine:3.20\nCOPY --from=build /etc/os-release /x\n"},
	},
	Check: func(p *lint.Pass) {
		secEach(p.File, func(ins *lint.Instruction) {
			if !stageKept(p.File, ins) {
				return
			}
			if s := ins.Script(); s != nil && s.Err == nil && strings.Contains(s.Text, "sudo") {
				for _, c := range s.Commands {
					for _, w := range st3008Packages(c) {
						if st3008Sudo().MatchString(w.Value) {
							p.Report(lint.Finding{
								At: ins, Range: w.Range(),
								Message: "this installs sudo, a setuid-root tool that lets a user of the container become root again",
								Help:    "do root work before USER; use gosu or su-exec in an entrypoint that must start as root",
							})
						}
					}
				}
			}
			if !strings.Contains(ins.Text, "NOPASSWD") && !st3008InHeredoc(ins) {
				return
			}
			secTexts(ins, func(text string, at secAt) {
				if !strings.Contains(text, "NOPASSWD") {
					return
				}
				for _, m := range st3008NoPasswd().FindAllStringIndex(text, -1) {
					p.Report(lint.Finding{
						At: ins, Range: at.Range(text, m[0], m[1]),
						Message: "a NOPASSWD sudoers rule lets the user become root without any password",
						Help:    "remove the sudoers rule; do root work before USER",
					})
				}
			})
		})
	},
})

var (
	st3008Sudo     = lazyre.New(`^sudo(-ldap)?([=<>~:].*|-[0-9].*)?$`)
	st3008NoPasswd = lazyre.New(`NOPASSWD\s*:`)
)

// st3008Packages returns the package arguments of an install command.
func st3008Packages(c *lint.Command) []lint.Word {
	name, args := secUnwrap(c)
	var verbs []string
	var valued []string
	switch name {
	case "apt-get", "apt", "aptitude":
		verbs, valued = []string{"install"}, []string{"-o", "-t", "-c", "--option", "--target-release"}
	case "apk":
		verbs, valued = []string{"add"}, []string{"-t", "--virtual", "-X", "--repository", "-p", "--root"}
	case "yum", "dnf", "microdnf", "tdnf":
		verbs, valued = []string{"install"}, []string{"--setopt", "--enablerepo", "--disablerepo", "--repo", "--installroot", "--releasever"}
	case "zypper":
		verbs, valued = []string{"install", "in"}, []string{"-r", "--repo", "--from"}
	case "pacman":
		for _, a := range args {
			if strings.HasPrefix(a.Value, "-S") && !strings.ContainsAny(a.Value[2:], "sicgl") {
				return st3008NonFlags(args, nil)
			}
		}
		return nil
	default:
		return nil
	}
	verb, i := secVerb(args, valued...)
	for _, v := range verbs {
		if verb.Value == v {
			return st3008NonFlags(args[i+1:], valued)
		}
	}
	return nil
}

func st3008NonFlags(args []lint.Word, valued []string) []lint.Word {
	var out []lint.Word
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		if strings.HasPrefix(v, "-") {
			for _, f := range valued {
				if v == f {
					i++
					break
				}
			}
			continue
		}
		out = append(out, args[i])
	}
	return out
}

func st3008InHeredoc(ins *lint.Instruction) bool {
	for _, h := range ins.Heredocs {
		if strings.Contains(h.Content, "NOPASSWD") {
			return true
		}
	}
	return false
}
