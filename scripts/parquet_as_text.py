"""Write every Parquet file under the given folders as text beside it (FILE.parquet.txt): its
schema, then its rows in file order as CSV. check_identical.sh compares these, so a change of
Parquet writer is judged by the table it writes, not by its bytes. A text already newer than
its file is kept (the baseline's results are converted once)."""
import os
import sys

import duckdb

con = duckdb.connect()
for root in sys.argv[1:]:
    for d, _, files in os.walk(root):
        for f in files:
            if not f.endswith(".parquet"):
                continue
            p = os.path.join(d, f)
            txt = p + ".txt"
            if os.path.exists(txt) and os.path.getmtime(txt) >= os.path.getmtime(p):
                continue
            q = p.replace("'", "''")
            schema = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{q}')").fetchall()
            tmp = txt + ".csv"
            con.execute(
                f"COPY (SELECT * FROM read_parquet('{q}')) TO '{tmp.replace(chr(39), chr(39) * 2)}'"
                " (HEADER, DELIMITER ',')"
            )
            with open(txt, "w", encoding="utf-8") as out:
                for name, typ, *_ in schema:
                    out.write(f"{name}\t{typ}\n")
                out.write("--\n")
                with open(tmp, encoding="utf-8") as rows:
                    out.write(rows.read())
            os.remove(tmp)
