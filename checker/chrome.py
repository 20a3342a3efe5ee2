"""Words that mark a line as part of the web page around a report (navigation, toolbars, footers),
shared by the HTML reader, which drops such lines, and the document, which keeps text dumps'
lines for their line numbers but leaves them out of every part of the report."""
from __future__ import annotations

import re

PAGE_CHROME = re.compile(
    r"版权所有|ICP备|网站标识码|公网安备|您(当前|现在)的位置|当前位置|首页\s*[>»›→/]|打印本页|打印此页|关闭窗口|分享到"
    r"|保护视力色|扫一扫|返回顶部|无障碍|相关附件|上一篇|下一篇|浏览(次数|数)\s*[:：]"
    r"|(字体|字号)\s*([:：]|大)|【?\s*大\s*中\s*小\s*】?$"
    r"|^手机版$|^(主办|承办|技术支持|联系我们|网站地图)\s*[:：]|^-$"
)
