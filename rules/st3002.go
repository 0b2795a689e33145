package rules

import (
	"github.com/strata-dev/strata/internal/lazyre"
	"regexp"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST3002 reports TLS certificate verification switched off.
var ST3002 = register(&lint.Rule{
	Code:     "ST3002",
	Name:     "tls-verification-disabled",
	Summary:  "Do not switch off TLS certificate verification",
	Severity: lint.SeverityError,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports options and settings that make a download tool accept any TLS certificate:\n\n" +
			"- in `RUN`: `curl -k`/`--insecure`, `wget --no-check-certificate`, `pip --trusted-host` (and " +
			"`pip config set global.trusted-host`), `npm`/`yarn`/`pnpm` `strict-ssl false`, " +
			"`git -c http.sslVerify=false` and `git config http.sslVerify false`;\n" +
			"- the variables `NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`, `GIT_SSL_NO_VERIFY` (any " +
			"value), `NPM_CONFIG_STRICT_SSL=false`, `PIP_TRUSTED_HOST` and `GOINSECURE`, set by `ENV`, by an `ARG` " +
			"default, or in a `RUN` (`export`, a prefix assignment or `env`);\n" +
			"- configuration written by a `RUN` or a `COPY` heredoc: `sslverify=0` (yum, dnf), " +
			"`Acquire::https::Verify-Peer \"false\"` (apt), `check_certificate = off` (wget), `insecure` in " +
			"`.curlrc`, `trusted-host` (`pip.conf`), `strict-ssl=false` (`.npmrc`), `ssl_verify: false` (conda), composer's `disable-tls true` " +
			"and `secure-http false`.\n\n" +
			"`curl -k` and `wget --no-check-certificate` are not reported when every URL of the command is plain " +
			"`http://` (the option changes nothing) or the local host (a smoke test of the image's own server). " +
			"`ONBUILD RUN` and `ONBUILD ENV` are checked too. `HEALTHCHECK` commands are not: they talk to the " +
			"container's own server.",
		Why: "Without certificate verification, TLS no longer authenticates the server: anyone on the network path " +
			"(a compromised proxy, Wi-Fi, DNS or CI runner network) can serve their own package, script or binary, " +
			"and the build installs it. Options set by `ENV` stay in the image, so every process of the running " +
			"container trusts any certificate too.",
		Fix: "Remove the option. When a server uses a private or corporate CA, trust that CA instead:\n\n```dockerfile\n" +
			"COPY corp-ca.crt /usr/local/share/ca-certificates/corp-ca.crt\nRUN update-ca-certificates\n```\n\n" +
			"(or point the tool at it: `curl --cacert`, `pip --cert`, `npm config set cafile`, `git -c " +
			"http.sslCAInfo=...`, `NODE_EXTRA_CA_CERTS`). Behind a TLS-intercepting proxy, mount the proxy's CA " +
			"only for the build: `RUN --mount=type=secret,id=ca,target=/usr/local/share/ca-certificates/ca.crt ...`.",
		Peers: "Checkov: CKV2_DOCKER_2 (curl), CKV2_DOCKER_3 (wget), CKV2_DOCKER_4 (pip `--trusted-host`), " +
			"CKV2_DOCKER_5 (PYTHONHTTPSVERIFY), CKV2_DOCKER_6 (NODE_TLS_REJECT_UNAUTHORIZED), CKV2_DOCKER_12 " +
			"(NPM_CONFIG_STRICT_SSL), CKV2_DOCKER_13 (npm/yarn strict-ssl), CKV2_DOCKER_14 (GIT_SSL_NO_VERIFY), " +
			"CKV2_DOCKER_15 (yum/dnf sslverify), CKV2_DOCKER_16 (PIP_TRUSTED_HOST), CKV2_DOCKER_18 (GOINSECURE). " +
			"Trivy and dockle: none. No hadolint or BuildKit rule covers it.",
	},
	Examples: []lint.Example{
		{Title: "curl -k and an ENV", Dockerfile: "FROM debian:12\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n" +
			"RUN curl -fsSLk https://example.com/tool.tgz | tar -xz -C /usr/local/bin\n", Want: []string{"2:5", "3:10"}},
		{Title: "git and pip", Dockerfile: "FROM python:3.12\nRUN git -c http.sslVerify=false clone https://git.example.com/app.git \\\n" +
			" && pip install --trusted-host pypi.example.com -r app/requirements.txt\n", Want: []string{"2:12", "3:17"}},
		{Title: "Certificates checked, with a private CA", Dockerfile: "FROM debian:12\n" +
			"COPY corp-ca.crt /usr/local/share/ca-certificates/\nRUN update-ca-certificates \\\n" +
			" && curl -fsSL --cacert /etc/ssl/certs/ca-certificates.crt https://example.com/tool.tgz -o /tmp/tool.tgz\n"},
		{Title: "-k against the local host", Dockerfile: "FROM nginx:1.27\nRUN nginx && curl -k https://localhost:8443/health\n"},
	},
	Check: func(p *lint.Pass) {
		src := p.File.Source
		secEach(p.File, func(ins *lint.Instruction) {
			var done []lint.Range
			report := func(r lint.Range, msg string) {
				if secOverlaps(r, done) {
					return
				}
				done = append(done, r)
				p.Report(lint.Finding{At: ins, Range: r, Message: msg, Help: st3002Help})
			}
			switch ins.Kind {
			case "env", "arg":
				if !st3002EnvMaybe(ins) {
					return
				}
				for _, kv := range secPairs(ins) {
					if msg := st3002Env(kv.Key, kv.Value, kv.HasValue); msg != "" {
						r := kv.Range()
						if ins.Kind == "env" {
							msg += "; ENV keeps it for every process of the container"
						}
						report(r, msg)
					}
				}
				return
			case "run":
				if s := ins.Script(); s != nil && s.Err == nil {
					for _, c := range s.Commands {
						for _, a := range secEnvAssigns(c) {
							if msg := st3002Env(a.Name, a.Value, true); msg != "" {
								report(a.Range(src), msg)
							}
						}
						if w, msg := st3002Command(src, c); msg != "" {
							report(w.Range(), msg)
						}
					}
				}
			}
			secTexts(ins, func(text string, at secAt) {
				for _, t := range st3002Texts {
					if !strings.Contains(text, t.lit) {
						continue
					}
					for _, m := range t.re().FindAllStringSubmatchIndex(text, -1) {
						if len(m) > 3 && m[2] >= 0 {
							m = m[2:] // the finding is the first group
						}
						msg := t.msg
						if t.lit == "sslverify" {
							// Quote the setting as written: sslverify=false.
							written := strings.NewReplacer(" ", "", "\t", "", `"`, "", "'", "").Replace(text[m[0]:m[1]])
							msg = strings.Replace(msg, "sslverify=0", written, 1)
						}
						report(at.Range(text, m[0], m[1]), msg)
					}
				}
			})
		})
	},
})

const st3002Help = "remove it; to trust a private CA, add its certificate to /usr/local/share/ca-certificates/ " +
	"and run update-ca-certificates (or pass it with --cacert, --cert, cafile, NODE_EXTRA_CA_CERTS)"

// st3002Env checks one environment variable.
func st3002Env(name, value string, set bool) string {
	if !set {
		return ""
	}
	v := strings.TrimSpace(value)
	switch strings.ToUpper(name) {
	case "NODE_TLS_REJECT_UNAUTHORIZED":
		if v == "0" {
			return "NODE_TLS_REJECT_UNAUTHORIZED=0 makes Node.js accept any TLS certificate"
		}
	case "PYTHONHTTPSVERIFY":
		if v == "0" {
			return "PYTHONHTTPSVERIFY=0 turns off certificate verification in Python's HTTPS client"
		}
	case "GIT_SSL_NO_VERIFY":
		return "GIT_SSL_NO_VERIFY makes git accept any TLS certificate, whatever its value (even false or 0)"
	case "NPM_CONFIG_STRICT_SSL":
		if secFalse(v) {
			return "npm_config_strict_ssl=false makes npm accept any TLS certificate"
		}
	case "PIP_TRUSTED_HOST":
		if v != "" {
			return "PIP_TRUSTED_HOST makes pip skip certificate verification for " + v
		}
	case "GOINSECURE":
		if v != "" {
			return "GOINSECURE makes go fetch matching modules without certificate verification"
		}
	}
	return ""
}

// st3002Command checks the options of one command.
func st3002Command(src *lint.Source, c *lint.Command) (lint.Word, string) {
	name, args := secUnwrap(c)
	switch {
	case name == "curl":
		if w, ok := secFlag(args, []string{"insecure", "proxy-insecure"}, "k"); ok && !secHTTPOnlyOrLocal(args) {
			return w, "curl " + w.Value + " accepts any TLS certificate, so whoever sits on the network path can replace the download"
		}
	case name == "wget":
		if w, ok := secFlag(args, []string{"no-check-certificate"}, ""); ok && !secHTTPOnlyOrLocal(args) {
			return w, "wget --no-check-certificate accepts any TLS certificate, so whoever sits on the network path can replace the download"
		}
	case (strings.HasPrefix(name, "pip") || strings.HasPrefix(name, "python")) &&
		(pipName().MatchString(name) || pythonName().MatchString(name)):
		if pythonName().MatchString(name) && !st3002PythonPip(args) {
			return lint.Word{}, ""
		}
		if w, ok := secFlag(args, []string{"trusted-host"}, ""); ok {
			return w, "pip --trusted-host skips certificate verification for that index"
		}
		for _, a := range args {
			if strings.HasSuffix(a.Value, ".trusted-host") || strings.HasPrefix(a.Value, "global.trusted-host") {
				return a, "pip's trusted-host setting skips certificate verification for that index"
			}
		}
	case name == "npm" || name == "yarn" || name == "pnpm":
		for i, a := range args {
			v := a.Value
			next := ""
			if i+1 < len(args) {
				next = args[i+1].Value
			}
			key, val, hasVal := strings.Cut(strings.TrimPrefix(v, "--"), "=")
			if v == "--no-strict-ssl" || ((key == "strict-ssl" || key == "enableStrictSsl") &&
				((hasVal && secFalse(val)) || (!hasVal && secFalse(next)))) {
				return a, name + " strict-ssl false makes " + name + " accept any TLS certificate"
			}
		}
	case name == "conda" || name == "mamba" || name == "micromamba" || name == "composer":
		for i := 0; i+1 < len(args); i++ {
			k, v := args[i].Value, args[i+1].Value
			switch {
			case k == "ssl_verify" && secFalse(v):
				return args[i], name + " ssl_verify false makes " + name + " accept any TLS certificate"
			case k == "disable-tls" && (v == "true" || v == "1"):
				return args[i], "composer disable-tls true downloads packages without TLS"
			case k == "secure-http" && secFalse(v):
				return args[i], "composer secure-http false allows packages over plain HTTP"
			}
		}
	case name == "echo" || name == "printf":
		for _, a := range args {
			if (strings.Contains(a.Value, "insecure") || a.Value == "-k") && strings.HasSuffix(st3004Redirect(src, c), ".curlrc") {
				return a, "insecure in .curlrc makes every later curl accept any TLS certificate"
			}
		}
	case name == "git":
		for i, a := range args {
			key, val, hasVal := strings.Cut(a.Value, "=")
			if !st3002GitKey().MatchString(key) {
				continue
			}
			if !hasVal && i+1 < len(args) {
				val, hasVal = args[i+1].Value, true
			}
			if hasVal && secFalse(val) {
				return a, "http.sslVerify=false makes git accept any TLS certificate"
			}
		}
	}
	return lint.Word{}, ""
}

func st3002PythonPip(args []lint.Word) bool {
	for i, a := range args {
		if a.Value == "-m" && i+1 < len(args) && args[i+1].Value == "pip" {
			return true
		}
	}
	return false
}

var st3002GitKey = lazyre.New(`(?i)^http(\..+)?\.sslverify$`)

// st3002Texts are settings written to configuration files; the
// expression is tried only when the text contains lit.
var st3002Texts = []struct {
	lit string
	re  func() *regexp.Regexp
	msg string
}{
	{"sslverify", lazyre.New(`(?i)(?:^|[^a-z0-9_]|\\n)(sslverify\s*=\s*["']?(?:0|false|no)\b)`), "sslverify=0 makes yum/dnf fetch packages and metadata without verifying the repository's certificate"},
	{"strict-ssl", lazyre.New(`(?:^|[^A-Za-z0-9_]|\\n)(strict-ssl\s*=\s*["']?false\b)`), "strict-ssl=false makes npm accept any TLS certificate"},
	{"ssl_verify", lazyre.New(`(?:^|[^A-Za-z0-9_]|\\n)(ssl_verify\s*[:=]?\s*["']?(?:false|False|no|0)\b)`), "ssl_verify false makes conda accept any TLS certificate"},
	{"Verify-", lazyre.New(`(?i)Acquire::https::(?:[^\s:]+::)?Verify-(?:Peer|Host)["']?\s*=?\s*["']?(?:false|0|no)\b`), "Acquire::https::Verify-Peer false makes apt accept any TLS certificate"},
	{"check_certificate", lazyre.New(`(?:^|[^A-Za-z0-9_]|\\n)(check_certificate\s*=\s*off\b)`), "check_certificate = off makes wget accept any TLS certificate"},
	{"trusted-host", lazyre.New(`(?:^|[^A-Za-z0-9_]|\\n)(trusted-host\s*=\s*["']?[\w.${}-]+)`), "trusted-host in pip.conf makes pip skip certificate verification for that index"},
}

// st3002EnvMaybe is a cheap filter: an argument starts with one of the
// variable names st3002Env knows.
func st3002EnvMaybe(ins *lint.Instruction) bool {
	for _, a := range ins.Args {
		v := strings.TrimLeft(a.Value, `"'`)
		if len(v) < 9 {
			continue
		}
		switch v[0] {
		case 'N', 'n', 'P', 'G':
			for _, name := range []string{"NODE_TLS_REJECT_UNAUTHORIZED", "PYTHONHTTPSVERIFY", "GIT_SSL_NO_VERIFY",
				"NPM_CONFIG_STRICT_SSL", "npm_config_strict_ssl", "PIP_TRUSTED_HOST", "GOINSECURE"} {
				if strings.HasPrefix(v, name) {
					return true
				}
			}
		}
	}
	return false
}
