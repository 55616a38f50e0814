-- The GLOTIP tables as plain SQL GROUP BY queries, for bench/stats: the
-- same groupings ctip computes in one pass (country and year of detection,
-- sex, age group, form, citizenship; persons by proceeding), run by the
-- sqlite3 shell on the same database.
.output /dev/null
SELECT a.country, c.year, p.sex,
       CASE WHEN p.age IS NOT NULL THEN p.age < 18
            WHEN p.date_of_birth IS NOT NULL THEN c.year - CAST(substr(p.date_of_birth, 1, 4) AS INTEGER) < 18
            WHEN p.age_band IS NOT NULL THEN p.age_band IN ('0-8', '9-17') END AS child,
       count(*)
FROM person p JOIN case_ c ON c.id = p.case_id JOIN agency a ON a.id = c.agency_id
WHERE p.role = 'victim' GROUP BY 1, 2, 3, 4;
SELECT a.country, c.year, c.purposes, c.main_purpose, p.sex,
       CASE WHEN p.age IS NOT NULL THEN p.age < 18
            WHEN p.date_of_birth IS NOT NULL THEN c.year - CAST(substr(p.date_of_birth, 1, 4) AS INTEGER) < 18
            WHEN p.age_band IS NOT NULL THEN p.age_band IN ('0-8', '9-17') END AS child,
       count(*)
FROM person p JOIN case_ c ON c.id = p.case_id JOIN agency a ON a.id = c.agency_id
WHERE p.role = 'victim' GROUP BY 1, 2, 3, 4, 5, 6;
SELECT a.country, c.year, p.citizenship, count(*)
FROM person p JOIN case_ c ON c.id = p.case_id JOIN agency a ON a.id = c.agency_id
WHERE p.role = 'victim' GROUP BY 1, 2, 3;
SELECT a.country, substr(g.date, 1, 4), g.kind, p.sex, p.age < 18, count(DISTINCT p.id)
FROM proceeding g JOIN person p ON p.id = g.person_id JOIN case_ c ON c.id = p.case_id
JOIN agency a ON a.id = c.agency_id GROUP BY 1, 2, 3, 4, 5;
SELECT a.country, substr(g.date, 1, 4), g.kind, p.citizenship, c.purposes, count(DISTINCT p.id)
FROM proceeding g JOIN person p ON p.id = g.person_id JOIN case_ c ON c.id = p.case_id
JOIN agency a ON a.id = c.agency_id GROUP BY 1, 2, 3, 4, 5;
SELECT a.country, c.year, count(*) FROM case_ c JOIN agency a ON a.id = c.agency_id GROUP BY 1, 2;
