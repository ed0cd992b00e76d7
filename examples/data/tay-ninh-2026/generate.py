#!/usr/bin/env python3
"""Write dataset.json of the two-tier (province -> commune) example.

    python3 generate.py > dataset.json      (then canonicalise: see README.md)

Every number is made up by a seeded generator (the same bytes on every run):
the dataset is illustrative, not official statistics. Only the structure is
real: since 1 July 2025 local government is province -> commune, and Long An
is part of Tây Ninh province.
"""
import json
import random

rng = random.Random(20260101)

# Three phường of the former TP Tân An are named as they are (DOMAIN: Long An,
# Tân An, Khánh Hậu); the other communes are placeholders, said so.
COMMUNES = [
    ("long-an", "Phường Long An", "phường", "phuong"),
    ("tan-an", "Phường Tân An", "phường", "phuong"),
    ("khanh-hau", "Phường Khánh Hậu", "phường", "phuong"),
    ("phuong-a", "Phường A (tên minh họa)", "phường", "phuong"),
    ("xa-a", "Xã A (tên minh họa)", "xã", "xa"),
    ("xa-b", "Xã B (tên minh họa)", "xã", "xa"),
    ("xa-c", "Xã C (tên minh họa)", "xã", "xa"),
    ("xa-d", "Xã D (tên minh họa)", "xã", "xa"),
    ("xa-e", "Xã E (tên minh họa)", "xã", "xa"),
    ("xa-g", "Xã G (tên minh họa)", "xã", "xa"),
    ("xa-h", "Xã H (tên minh họa)", "xã", "xa"),
    ("xa-i", "Xã I (tên minh họa)", "xã", "xa"),
]
QUARTERS = ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
ENDS = {"2026-Q1": "2026-03-31", "2026-Q2": "2026-06-30", "2026-Q3": "2026-09-30",
        "2026-Q4": "2026-12-31"}
DUE = {"2026-Q1": "2026-04-05", "2026-Q2": "2026-07-05", "2026-Q3": "2026-10-05",
       "2026-Q4": "2027-01-05"}
ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}
INDICATORS = [
    ("civil-status", "Đăng ký hộ tịch", "việc", "civil-status", (150, 600)),
    ("certification", "Chứng thực bản sao, chữ ký", "việc", "certification", (400, 2500)),
    ("legal-dissemination", "Buổi phổ biến, giáo dục pháp luật", "buổi", "legal-dissemination", (4, 20)),
    ("mediation-cases", "Vụ việc hòa giải ở cơ sở", "vụ việc", "mediation", (5, 30)),
    ("mediation-success", "Vụ việc hòa giải thành", "vụ việc", "mediation", None),
    ("legal-aid", "Vụ việc trợ giúp pháp lý", "vụ việc", "legal-aid", (1, 8)),
]


def date_plus(iso, days):
    import datetime
    return (datetime.date.fromisoformat(iso) + datetime.timedelta(days=days)).isoformat()


def main():
    d = {"format": "justice-quarterly/dataset 1.0",
         "name": "Sở Tư pháp tỉnh Tây Ninh — mô hình chính quyền hai cấp, năm 2026 (minh họa)",
         "description": "Dữ liệu minh họa, không phải số liệu chính thức: cấu trúc tỉnh – xã sau sắp xếp đơn vị hành chính năm 2025 (tỉnh Long An hợp nhất vào tỉnh Tây Ninh từ 1/7/2025); ba phường Long An, Tân An, Khánh Hậu mang tên thật, các xã, phường khác là tên minh họa; mọi con số đều là giả định. Illustrative data: the province -> commune structure after the 2025 reorganisation; every number is made up."}
    units = [{"id": "so-tu-phap", "name": "Sở Tư pháp tỉnh Tây Ninh", "level": "province"}]
    for cid, name, kind, cluster in COMMUNES:
        units.append({"id": cid, "name": name, "level": "commune", "parent": "so-tu-phap",
                      "cluster": cluster, "attributes": {"kind": kind}})
    d["units"] = units
    d["periods"] = [{"id": p, "name": "Quý %s/%s" % (ROMAN[p[-1]], p[:4]),
                     "start": s, "end": e} for p, s, e in [
        ("2025-Q3", "2025-07-01", "2025-09-30"), ("2025-Q4", "2025-10-01", "2025-12-31"),
        ("2026-Q1", "2026-01-01", "2026-03-31"), ("2026-Q2", "2026-04-01", "2026-06-30"),
        ("2026-Q3", "2026-07-01", "2026-09-30"), ("2026-Q4", "2026-10-01", "2026-12-31")]]
    d["indicators"] = [{"id": i, "name": n, "unit": u, "field": f} for i, n, u, f, _ in INDICATORS]
    stats = []
    for cid, _, kind, _ in COMMUNES:
        base = {i: rng.randint(*r) for i, _, _, _, r in INDICATORS if r}
        if kind == "phường":
            base["civil-status"] += 200
            base["certification"] += 1500
        # communes exist from 1/7/2025: their "same period last year" starts with 2025-Q3
        for p in ["2025-Q3", "2025-Q4"] + QUARTERS:
            grow = 1.0 + (0.08 if p.startswith("2026") else 0.0) + rng.uniform(-0.12, 0.15)
            vals = {}
            for i, _, _, _, r in INDICATORS:
                if r:
                    vals[i] = max(0, int(base[i] * grow + rng.randint(-2, 2)))
            vals["mediation-success"] = int(vals["mediation-cases"] * rng.uniform(0.7, 0.95))
            for i, _, _, _, _ in INDICATORS:
                stats.append({"unit": cid, "indicator": i, "period": p, "value": vals[i]})
    d["statistics"] = stats
    reports = []
    for p in QUARTERS:
        for cid, _, _, _ in COMMUNES:
            roll = rng.random()
            late = 0 if roll < 0.75 else rng.choice([1, 2, 4, 7, 12])
            sub = None if roll > 0.97 else date_plus(DUE[p], late - (1 if late == 0 else 0))
            reports.append({"unit": cid, "period": p, "kind": "statistics", "due": DUE[p],
                            "submitted": sub, "complete": rng.random() > 0.08})
    d["reports"] = reports
    tasks = []
    for p in QUARTERS:
        for cid, _, _, _ in COMMUNES:
            due = date_plus(ENDS[p], -10)
            roll = rng.random()
            t = {"id": "%s-%s-tthc" % (p.lower(), cid),
                 "title": "Rà soát, công khai thủ tục hành chính tại Trung tâm phục vụ hành chính công xã, phường",
                 "field": "administrative-procedures", "units": [cid], "period": p, "due": due}
            if roll < 0.8:
                t.update(status="done", completed=date_plus(due, -rng.randint(0, 15)))
            elif roll < 0.92:
                t.update(status="done", completed=date_plus(due, rng.randint(1, 10)))
            else:
                t.update(status="in_progress")
            tasks.append(t)
    d["tasks"] = tasks
    d["directives"] = [
        {"id": "cd-q%d" % q, "issued": date_plus(ENDS["2026-Q%d" % q], -70),
         "issuer": "so-tu-phap", "addressees": {"levels": ["commune"]},
         "text": text, "due": date_plus(ENDS["2026-Q%d" % q], -5),
         "status": "done", "completed": date_plus(ENDS["2026-Q%d" % q], -8)}
        for q, text in [(1, "Kiện toàn bộ phận tư pháp – hộ tịch cấp xã sau sắp xếp"),
                        (2, "Số hóa sổ hộ tịch của các xã, phường trước sắp xếp"),
                        (3, "Tổ chức Ngày Pháp luật tại các xã, phường mới"),
                        (4, "Tổng kết công tác tư pháp năm 2026")]]
    events = [{"unit": "xa-d", "date": "2026-05-12", "kind": "discipline",
               "text": "Cán bộ tư pháp – hộ tịch bị kỷ luật khiển trách (minh họa)"},
              {"unit": "tan-an", "date": "2026-08-20", "kind": "initiative",
               "text": "Mô hình hòa giải ở khu phố (minh họa)", "points": 2},
              {"unit": "xa-b", "date": "2026-10-02", "kind": "initiative",
               "text": "Sáng kiến số hóa hồ sơ chứng thực (minh họa)", "points": 1.5}]
    d["events"] = events
    assessments = []
    for cid, _, _, _ in COMMUNES:
        for crit, mx in (("plan", 10), ("one-stop", 10)):
            appr = rng.choice([mx, mx - 0.5, mx - 1, mx - 2])
            assessments.append({"unit": cid, "period": "2026", "criterion": crit,
                                "self": min(mx, appr + rng.choice([0, 0, 0.5])),
                                "appraised": appr})
    d["assessments"] = assessments
    L = []

    def lab(kind, id_, vi, en):
        L.append({"kind": kind, "id": id_, "names": {"en": en, "vi": vi}})
    lab("level", "province", "Sở Tư pháp", "the provincial Department of Justice")
    lab("level", "commune", "xã, phường", "communes and wards")
    lab("cluster", "phuong", "Khối phường", "Wards")
    lab("cluster", "xa", "Khối xã", "Communes")
    for i, n, _, f, _ in INDICATORS:
        pass
    for f, vi, en in [("civil-status", "Hộ tịch", "Civil status"),
                      ("certification", "Chứng thực", "Certification"),
                      ("legal-dissemination", "Phổ biến, giáo dục pháp luật", "Legal dissemination"),
                      ("mediation", "Hòa giải ở cơ sở", "Grassroots mediation"),
                      ("legal-aid", "Trợ giúp pháp lý", "Legal aid"),
                      ("administrative-procedures", "Kiểm soát thủ tục hành chính",
                       "Administrative procedures")]:
        lab("field", f, vi, en)
    lab("report_kind", "statistics", "Báo cáo thống kê", "Statistics report")
    lab("event_kind", "discipline", "Kỷ luật cán bộ, công chức", "Disciplinary measure")
    lab("event_kind", "initiative", "Sáng kiến, mô hình được công nhận", "Recognised initiative")
    lab("veto", "discipline", "Có cán bộ, công chức bị kỷ luật trong năm",
        "A civil servant disciplined in the year")
    d["labels"] = L
    d["documents"] = [{"period": "2026-Q4", "fields": {
        "issuer_parent": "UBND TỈNH TÂY NINH", "issuer": "SỞ TƯ PHÁP",
        "motto": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "motto_sub": "Độc lập - Tự do - Hạnh phúc",
        "number": "Số: 00/BC-STP (số minh họa)",
        "place_date": "Tây Ninh, ngày 28 tháng 12 năm 2026", "kind": "BÁO CÁO",
        "title": "Kết quả công tác tư pháp quý IV và năm 2026 (minh họa)",
        "title_en": "Justice work in the fourth quarter and the year 2026 (illustrative)",
        "summary": "Năm 2026 là năm đầu tiên các xã, phường thực hiện đầy đủ nhiệm vụ tư pháp theo mô hình chính quyền địa phương hai cấp. Số liệu, nhận định trong báo cáo này là minh họa.",
        "summary_en": "2026 is the first full year in which communes and wards carry the justice tasks of the two-tier local government. Every figure and statement here is illustrative.",
        "recipients": "Bộ Tư pháp (để báo cáo);\nUBND tỉnh (để báo cáo);\nUBND các xã, phường;\nLưu: VT.",
        "signer_title": "GIÁM ĐỐC", "signer_name": "(tên người ký — minh họa)"}}]
    print(json.dumps(d, ensure_ascii=False))


if __name__ == "__main__":
    main()
