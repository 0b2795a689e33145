package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST3005 reports images whose final stage runs as root by default.
var ST3005 = register(&lint.Rule{
	Code:     "ST3005",
	Name:     "image-runs-as-root",
	Summary:  "Set a non-root USER in the final stage",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Looks at the final stage (the image `docker build` produces by default) and the stages it is built " +
			"`FROM`, and reports:\n\n" +
			"- no `USER` at all: the container runs as root unless the base image sets a user. Reported at the " +
			"final `FROM`;\n" +
			"- a last `USER` given by a variable whose value is `root` or `0` (`USER ${APP_USER}` with " +
			"`ARG APP_USER=root`). Reported at the `USER`.\n\n" +
			"A last `USER root` or `USER 0` written literally is hadolint's DL3002 and is left to it. Not " +
			"reported: base images known to run as a non-root user (tags or names with `nonroot`, `rootless` or " +
			"`unprivileged`, distroless `:nonroot`, `cgr.dev/chainguard/`, `bitnami/`, .NET `chiseled`, Jupyter, " +
			"Jenkins and linuxserver.io images), development-container images (`mcr.microsoft.com/devcontainers/`), " +
			"Windows images, a base given by an `ARG` without a default, official images that set a non-root " +
			"`USER` themselves (sonarqube, solr, elasticsearch, grafana, keycloak, memcached, ...), official images " +
			"whose entrypoint switches to an unprivileged user (postgres, mysql, mariadb, mongo, redis, rabbitmq, " +
			"...) as long as `ENTRYPOINT` is not replaced, stages whose `ENTRYPOINT` or `CMD` drops privileges " +
			"with `gosu`, `su-exec`, `setpriv`, `runuser`, `s6-setuidgid`, `chpst` or `setuser`, or that install " +
			"`gosu` or `su-exec` for their entrypoint script, and a final `FROM scratch` " +
			"stage with neither `CMD` nor `ENTRYPOINT` (an export stage for `--output`, where nothing runs).",
		Why: "A process running as root in a container is root on the host as soon as any isolation fails: a kernel " +
			"or runtime escape, a writable host mount, a `--privileged` run. Running as an unprivileged user turns " +
			"most of these into a contained failure, and many platforms (Kubernetes `runAsNonRoot`, OpenShift) " +
			"refuse root images.",
		Fix: "Create an unprivileged user and switch to it after the steps that need root:\n\n```dockerfile\n" +
			"RUN useradd --system --uid 10001 --no-create-home app\nUSER 10001\n```\n\n" +
			"For `scratch` and distroless images, which have no `useradd`, use a numeric id: `USER 65532:65532`.",
		Peers: "Complements hadolint's DL3002 (a last `USER` that is literally root, in any stage). Trivy DS-0002 " +
			"(AVD-DS-0002, no USER or last USER root), Checkov CKV_DOCKER_3 (a user is created) and CKV_DOCKER_8 " +
			"(last USER not root), dockle CIS-DI-0001 (create a user for the container).",
	},
	Examples: []lint.Example{
		{Title: "No USER in the final stage", Dockerfile: "FROM golang:1.23 AS build\nUSER nobody\nRUN go build -o /tmp/app .\n" +
			"FROM debian:12-slim\nCOPY --from=build /tmp/app /app\nCMD [\"/app\"]\n", Want: []string{"4:6"}},
		{Title: "Root through a variable", Dockerfile: "FROM node:22\nARG RUN_AS=root\nUSER ${RUN_AS}\nCMD [\"node\", \"server.js\"]\n", Want: []string{"3:6"}},
		{Title: "A non-root user", Dockerfile: "FROM debian:12-slim\nRUN useradd --system --uid 10001 app\nUSER 10001\nCMD [\"/app\"]\n"},
		{Title: "Inherited from an earlier stage", Dockerfile: "FROM python:3.12-slim AS base\nUSER 10001\nFROM base\nCMD [\"python\", \"-m\", \"app\"]\n"},
		{Title: "Privileges dropped by the entrypoint", Dockerfile: "FROM alpine:3.20\nRUN apk add --no-cache su-exec\n" +
			"ENTRYPOINT [\"su-exec\", \"app\", \"/app\"]\n"},
	},
	Check: func(p *lint.Pass) {
		final := p.File.FinalStage()
		if final == nil {
			return
		}
		chain := final.Ancestors()
		var last *lint.Instruction
	find:
		for _, st := range chain {
			for i := len(st.Instructions) - 1; i >= 0; i-- {
				if ins := st.Instructions[i]; ins.Kind == "user" && len(ins.Args) > 0 {
					last = ins
					break find
				}
			}
		}
		if last != nil {
			raw := last.Args[0].Value
			if !strings.Contains(raw, "$") {
				return // literal: DL3002's
			}
			v, ok := secExpand(secUnquote(raw), secVars(last))
			user, _, _ := strings.Cut(v, ":")
			if ok && (user == "root" || user == "0") {
				p.Report(lint.Finding{
					At: last, Range: last.Args[0].Range,
					Message: st3005DefaultMsg(raw, v),
					Help:    "default the variable to an unprivileged user, or set USER to a fixed non-root uid",
				})
			}
			return
		}
		root := chain[len(chain)-1]
		base, ok := root.Base, true
		if strings.Contains(base, "$") {
			base, ok = secExpand(root.Base, secGlobalArgs(p.File))
		}
		if !ok || base == "" || st3005NonRootBase(base) {
			return
		}
		entrypoint, command := false, false
		for _, st := range chain {
			for _, ins := range st.Instructions {
				switch ins.Kind {
				case "entrypoint", "cmd":
					if st3005DropsPrivileges(ins.Text) {
						return
					}
				case "run", "copy", "add":
					// installed for an entrypoint script to use
					if strings.Contains(ins.Text, "gosu") || strings.Contains(ins.Text, "su-exec") {
						return
					}
				}
				entrypoint = entrypoint || ins.Kind == "entrypoint"
				command = command || ins.Kind == "cmd"
			}
		}
		repo := st3005Repo(base)
		if st3005UserImages[repo] || (st3005DropImages[repo] && !entrypoint) {
			return
		}
		if strings.EqualFold(base, "scratch") && !entrypoint && !command {
			return // an export stage (--output): nothing runs in it
		}
		help := "create an unprivileged user and add USER <uid> after the steps that need root"
		if strings.EqualFold(base, "scratch") || strings.Contains(base, "distroless") {
			help = "add USER 65532:65532 (there is no useradd in this image; a numeric id needs no /etc/passwd entry)"
		}
		msg := "the final stage never sets USER, so the container runs as root unless " + base + " sets another user"
		if strings.EqualFold(base, "scratch") {
			msg = "the final stage never sets USER, and scratch has no user of its own: the container runs as root"
		}
		p.Report(lint.Finding{
			At: final.From, Range: imageArgRange(final),
			Message: msg,
			Help:    help,
		})
	},
})

// st3005DefaultMsg says that a USER with variables defaults to root,
// naming the value only when it says more than "root".
func st3005DefaultMsg(raw, v string) string {
	if v == "root" {
		return "USER " + raw + " is root by default, so the container runs as root"
	}
	return "USER " + raw + " is root (" + v + ") by default, so the container runs as root"
}

// st3005NonRootBase recognises base images that run as a non-root user,
// are Windows images, or are development containers.
func st3005NonRootBase(base string) bool {
	b := strings.ToLower(base)
	for _, s := range []string{"nonroot", "non-root", "rootless", "unprivileged", "chiseled", "cgr.dev/chainguard/",
		"bitnami/", "jupyter/", "jenkins/", "linuxserver/", "devcontainers/", "windows", "nanoserver", "servercore",
		"dotnet/framework", "confluentinc/cp-", "prom/", "quay.io/prometheus/", "selenium/"} {
		if strings.Contains(b, s) {
			return true
		}
	}
	return false
}

// st3005DropsPrivileges recognises a tool that switches to another user
// at run time.
func st3005DropsPrivileges(text string) bool {
	for _, s := range []string{"gosu", "su-exec", "setpriv", "runuser", "s6-setuidgid", "chpst", "setuser"} {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

// st3005Repo returns an image's repository without registry, library/
// and tag: "docker.io/library/postgres:16" gives "postgres".
func st3005Repo(ref string) string {
	r := strings.ToLower(parseImageRef(ref).Name)
	for _, p := range []string{"docker.io/", "index.docker.io/", "registry-1.docker.io/", "library/"} {
		r = strings.TrimPrefix(r, p)
	}
	return r
}

// st3005UserImages are official and widely used images whose configuration
// sets a non-root USER.
var st3005UserImages = map[string]bool{
	"solr": true, "sonarqube": true, "elasticsearch": true, "kibana": true, "logstash": true,
	"docker.elastic.co/elasticsearch/elasticsearch": true, "docker.elastic.co/kibana/kibana": true,
	"docker.elastic.co/logstash/logstash": true, "grafana/grafana": true, "grafana/grafana-oss": true,
	"jboss/keycloak": true, "quay.io/keycloak/keycloak": true, "jboss/wildfly": true, "sonatype/nexus3": true,
	"apache/airflow": true, "mcr.microsoft.com/mssql/server": true, "memcached": true, "odoo": true,
	"nodered/node-red": true,
}

// st3005DropImages are official images whose entrypoint script switches
// to an unprivileged user (gosu, su-exec, setpriv) before starting the
// server; they count only while ENTRYPOINT is not replaced.
var st3005DropImages = map[string]bool{
	"postgres": true, "mysql": true, "mariadb": true, "mongo": true, "redis": true, "rabbitmq": true,
	"cassandra": true, "couchdb": true, "zookeeper": true, "ghost": true, "redmine": true, "neo4j": true,
	"vault": true, "hashicorp/vault": true, "consul": true, "hashicorp/consul": true, "influxdb": true,
	"telegraf": true, "percona": true, "clickhouse/clickhouse-server": true, "yandex/clickhouse-server": true,
	"postgis/postgis": true, "timescale/timescaledb": true, "bitnami/postgresql": true,
}
