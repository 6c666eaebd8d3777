"""Rows without a valid ID: matched on name + birth date + region into review.csv, never hits.csv."""

from __future__ import annotations

from tests.crosscheck.rosterdata import hits_of, pid, run, write_csv, wrong_check


def test_a_wrong_check_digit_goes_to_review_with_a_score_and_an_explanation(tmp_path):
    d = tmp_path / "data"
    person = pid(8, "19480315", "340123")
    write_csv(d, "deaths", [["買買提•艾力", wrong_check(person), "2023-01-10"]])   # traditional, another dot
    write_csv(d, "pension", [["买买提·艾力", person, "2023-06", "1500", "某县"]])
    result = run(tmp_path)
    assert result["hits"] == [] and result["evidence"] == []
    (item,) = result["review"]
    assert item["rule_id"] == "pension_after_death" and item["person_id"] == person
    assert item["person_name"] == "买买提·艾力"
    assert item["score"] == "0.90"
    assert "出生日期1948-03-15" in item["explanation"] and "地区码340123" in item["explanation"]
    assert "仅校验位不同" in item["explanation"]
    assert item["sources"] == "deaths.csv:2; pension.csv:2"
    # The row is still reported as rejected: it could not take part as itself.
    (rej,) = result["rejected"]
    assert rej["file"] == "deaths.csv" and "校验位错误" in rej["reason"]


def test_no_review_without_the_same_name_birth_date_and_area(tmp_path):
    d = tmp_path / "data"
    person = pid(8, "19480315", "340123")
    other_area = pid(8, "19480315", "340124")
    write_csv(d, "deaths", [["李四", wrong_check(person), "2023-01-10"],
                            ["王五", wrong_check(other_area), "2023-01-10"]])
    write_csv(d, "pension", [["李思", person, "2023-06", "1", ""],
                             ["王五", pid(9, "19480315", "340123"), "2023-06", "1", ""]])
    result = run(tmp_path)
    assert result["review"] == [] and result["hits"] == []
    assert len(result["rejected"]) == 2


def test_two_people_with_the_same_name_birth_date_and_area_halve_the_score(tmp_path):
    d = tmp_path / "data"
    one, two = pid(11, "19600101", "340123"), pid(12, "19600101", "340123")
    bad = wrong_check(pid(991, "19600101", "340123"))     # neither number, and a wrong check digit
    write_csv(d, "deaths", [["张伟", bad, "2023-01-10"]])
    write_csv(d, "pension", [["张伟", one, "2023-06", "1", ""], ["张伟", two, "2023-06", "1", ""]])
    result = run(tmp_path)
    assert {r["person_id"] for r in result["review"]} == {one, two}
    assert all(float(r["score"]) <= 0.3 for r in result["review"])
    assert all("同名同生日同地区共2人" in r["explanation"] for r in result["review"])


def test_review_never_leaks_into_hits(tmp_path):
    """A person with a real hit and a review match: hits.csv holds only what valid IDs found."""
    d = tmp_path / "data"
    person = pid(3, "19500505")
    write_csv(d, "deaths", [["赵六", person, "2023-01-10"]])
    write_csv(d, "pension", [
        ["赵六", person, "2023-05", "100", ""],                # a valid hit
        ["趙六", wrong_check(person), "2023-09", "100", ""],   # a hit only through the bad number
    ])
    write_csv(d, "dibao", [["赵六", person, "2023-02", "50", ""], ["赵六", wrong_check(person), "2023-02", "50", ""]])
    result = run(tmp_path)
    hit = next(h for h in result["hits"] if h["rule_id"] == "pension_after_death")
    assert hit["matches"] == "1" and "2023-05" in hit["detail"] and "2023-09" not in hit["detail"]
    assert hit["sources"] == "deaths.csv:2; pension.csv:2"
    assert all(not (e["roster"] == "pension" and e["row"] == "3") for e in result["evidence"])
    # duplicate_dibao would only hold through the bad number: review, not hits.
    assert hits_of(result, "duplicate_dibao") == set()
    review = {(r["rule_id"], r["person_id"]) for r in result["review"]}
    assert review == {("pension_after_death", person), ("duplicate_dibao", person)}
    assert {h["rule_id"] for h in result["hits"]} == {"pension_after_death"}
