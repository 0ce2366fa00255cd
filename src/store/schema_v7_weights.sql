-- Issue 21: a database made before the `package_finished` dropout reason existed has no
-- weight row for it, so the settings screen did not list it (the huddle scored it with the
-- default weight). Add the default weight (data/dropout_weights.toml: 2) where it is missing.
-- A new, empty file gets its weights from catalog::seed_defaults after the migrations, so
-- nothing is added to an empty table here.
INSERT INTO dropout_weights (reason, weight)
SELECT 'package_finished', 2
WHERE EXISTS (SELECT 1 FROM dropout_weights)
  AND NOT EXISTS (SELECT 1 FROM dropout_weights WHERE reason = 'package_finished');
