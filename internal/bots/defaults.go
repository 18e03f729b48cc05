package bots

// DefaultPatterns are the bot patterns every Rules includes. "*[bot]" is
// the suffix GitHub gives every GitHub App account (dependabot[bot],
// github-actions[bot], ...). The others are anchored suffixes after a
// separator, the way automation accounts are named by the projects that
// run them ("grid-bot", "jwplayer-robot", "accelio-gerrit-sync",
// "mirror-updates", "quattor-releaser"); no person in the labelled set or
// the fixtures has such a login. Broad patterns such as "*bot" are not
// defaults: they catch real people ("abbot", "talbot", "SmokyBot").
var DefaultPatterns = []string{
	"*[bot]",
	"*-bot", "*_bot", "*-robot", "*-automation",
	"*-sync", "*-updates", "*-releaser", "*-mirror",
}

// DefaultLogins is the maintained list of well-known automation accounts
// that look like people: their account type is User and their login has no
// "[bot]" suffix. Entries are exact logins (matched case-insensitively) and
// each has public evidence outside this repository that it is automation:
// the project that runs it names it, published bot lists include it, or
// GH Archive activity rankings show it. One person's or one small
// organisation's script belongs in the configuration (bots.logins), not
// here; testdata/labelled_logins.tsv lists such accounts seen in the
// fixtures and the reason each was left out.
var DefaultLogins = []string{
	// AWS automation, the tracker's own community. Named as git identities
	// or auto-approved users in aws/aws-cdk, cdklabs/* and cdk8s-team/*
	// projen configurations, the AWS SDK repositories' history and release
	// feeds, and the public "CodeBreach" write-ups (aws-sdk-js-automation).
	"aws-cdk-automation", "cdklabs-automation", "cdk8s-automation",
	"aws-sdk-go-automation", "aws-sdk-js-automation", "aws-sdk-python-automation",
	"aws-sdk-dotnet-automation", "amplify-bot",
	"codestar-github-bot-1", // AWS CodeStar: seeds "Seeded Repository created by CFN" repos
	"codepipeline-test",     // a top actor of a GH Archive sample (RediSearch docs' example)

	// GitHub's own accounts: the pre-App Actions login, GitHub's chat bot,
	// the web UI committer, and the synthetic monitor that creates and
	// deletes my-app-* repositories around the clock (a top GH Archive actor).
	"github-actions", "hubot", "web-flow", "direwolf-github",

	// Dependency, badge and housekeeping services acting on many unrelated
	// repositories. Sources: X-lab2017/github-analysis-report (2020 top
	// active accounts), CNCF DevStats' exclusion lists (cncf/devstats,
	// docs/excluding_bots.md and its BigQuery repository queries) and the
	// bot lists of several public contributor-report tools.
	"dependabot-preview", "greenkeeper", "greenkeeperio-bot", "renovate-bot",
	"snyk-bot", "pyup-bot", "semantic-release-bot", "imgbotapp", "fossabot",
	"gitter-badger", "waffle-iron", "codetriage-readme-bot",
	"tachikomapocket", // Tachikoma.io dependency-update PRs ("Exec tachikoma update")

	// CI, coverage, review and CLA accounts. Sources: CNCF DevStats
	// (coveralls, codecov-io, googlebot, claassistant), the X-lab 2020 report
	// (coveralls, liferay-continuous-integration, bot-monkey-1), Hound's own
	// code and docs (its GitHub user was "houndci", later "houndci-bot").
	"coveralls", "codecov-io", "houndci", "houndci-bot", "googlebot",
	"claassistant", "liferay-continuous-integration", "bot-monkey-1",

	// Translation, mirror and export services that write to thousands of
	// repositories: hosted Weblate, Google Code's 2015 export, the
	// GitHgMirror service, the WordPress.org plugin mirror (wp-plugins).
	"weblate", "GoogleCodeExporter", "GitHgMirror", "pluginmirror-worker",
	"wp-plugins-user",

	// Replication accounts of large projects that keep their canonical
	// repositories elsewhere (Apache GitBox, Gerrit, SVN). asfgit and
	// openstack-gerrit are in CNCF DevStats' lists; the others push other
	// people's commits into their project's mirror in every GH Archive hour.
	"asfgit", "openstack-gerrit", "wmfgerrit", "cm-gerrit", "wireshark-gerrit",
	"llvm-mirror", "ghc-mirror",

	// Kubernetes and OpenShift Prow bots and other CNCF test accounts
	// (X-lab 2020 report; CNCF DevStats).
	"k8s-ci-robot", "k8s-triage-robot", "k8s-reviewable", "openshift-ci-robot",
	"openshift-bot", "istio-testing", "grpc-testing", "knative-automation",

	// Official bots of widely used projects, named in the projects' own code
	// or documentation: Rust's merge queue (bors), Homebrew CI, the CocoaPods
	// Specs trunk, Kitware's robot (CMake, VTK, ITK), QGIS backports, the
	// Odoo Community Association, Plone's Jenkins bridge, KSP's CKAN index,
	// the Citation Style Language distribution, Traefik's issue triage,
	// web-platform-tests' Critic reviews, EveryPolitician's scrapers, Git-it's
	// tutorial robot, CERN CMS builds, Google Fuchsia's mirrors.
	"bors", "BrewTestBot", "CocoaPodsBot", "kwrobot", "qgis-bot", "OCA-git-bot",
	"mister-roboto", "netkan-bot", "csl-bot", "traefiker", "hoppipolla-critic-bot",
	"everypoliticianbot", "reporobot", "cmsbuild", "fuchsia-infra-bot",

	// Company and service bots that rank among GH Archive's most active
	// actors (pushes or comments every hour for years): Kaltura's PR
	// previews, Lombiq's Orchard mirrors, Microsoft's Open Localization
	// service test, a GitHub availability check seen in every year of the
	// 2014-2021 sample.
	"KalturaGitBot", "LombiqBot", "OpenLocalizationTest", "su-github-machine-user",
}
