/*
 * sqlite_cols.h - the columns of case_ and person that hold case-format
 * fields, each with the JSON path of its field in model.c's tables. The SQL
 * text (sqlite_sql.c) and the binding code (sqlite_case.c) both expand these
 * lists, so a column cannot be bound in the wrong place.
 */
#ifndef CT_STORE_SQLITE_COLS_H
#define CT_STORE_SQLITE_COLS_H

#define SQ_CASE_COLUMNS(X)                                                                         \
    X(source_id, "source_id")                                                                      \
    X(acts, "acts")                                                                                \
    X(means, "means")                                                                              \
    X(purposes, "purposes")                                                                        \
    X(main_purpose, "main_purpose")                                                                \
    X(labour_sector, "labour_sector")                                                              \
    X(country_origin, "countries.origin")                                                          \
    X(countries_transit, "countries.transit")                                                      \
    X(country_exploitation, "countries.exploitation")                                              \
    X(date_recruitment, "dates.recruitment")                                                       \
    X(date_exploitation_start, "dates.exploitation_start")                                         \
    X(date_exploitation_end, "dates.exploitation_end")                                             \
    X(date_identification, "dates.identification")                                                 \
    X(recruiter_relation, "recruiter_relation")                                                    \
    X(means_of_control, "means_of_control")                                                        \
    X(technology, "technology")                                                                    \
    X(other_crimes, "other_crimes")                                                                \
    X(status, "status")

#define SQ_PERSON_COLUMNS(X)                                                                       \
    X(role, "role")                                                                                \
    X(person_key, "person_key")                                                                    \
    X(given_name, "given_name")                                                                    \
    X(family_name, "family_name")                                                                  \
    X(other_names, "other_names")                                                                  \
    X(sex, "sex")                                                                                  \
    X(date_of_birth, "date_of_birth")                                                              \
    X(age, "age")                                                                                  \
    X(age_uncertain, "age_uncertain")                                                              \
    X(citizenship, "citizenship")                                                                  \
    X(languages, "languages")                                                                      \
    X(vulnerabilities, "vulnerabilities")                                                          \
    X(nrm_stage, "nrm_stage")                                                                      \
    X(suspect_role, "suspect_role")                                                                \
    X(phone, "contact.phone")                                                                      \
    X(email, "contact.email")                                                                      \
    X(address, "contact.address")                                                                  \
    X(identifiers, "identifiers")                                                                  \
    X(age_band, "age_band")

#define SQ_COUNT_ONE(col, path) +1
enum {
    SQ_CASE_NCOLS = 0 SQ_CASE_COLUMNS(SQ_COUNT_ONE),
    SQ_PERSON_NCOLS = 0 SQ_PERSON_COLUMNS(SQ_COUNT_ONE),
};

#endif
