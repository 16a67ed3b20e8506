@_spi(Inlining) import TreasuryModel

/// Where a statement's files go inside the output folder.
///
/// `<period label>/<financial account>/<name>.csv` for USD; another currency
/// adds itself to the name (`transactions.eur.csv`) so that both fit one folder.
package enum StatementPaths {
  package static func folder(_ key: StatementKey) -> String {
    key.period.label + "/" + key.financialAccount
  }

  package static func file(_ key: StatementKey, _ name: String, _ ext: String) -> String {
    let suffix = key.currency == "usd" ? "" : "." + key.currency
    return folder(key) + "/" + name + suffix + "." + ext
  }
}
