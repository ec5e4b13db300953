"""Synthetic enterprise names that can never be mistaken for a registered firm.

A name is 地名 + a generated 2–3 character 字号 (brand) + an industry word + 有限公司, followed by
the marker ``（DEMO）``. Registered names must be written in standard Chinese characters
(企业名称登记管理规定, 国务院令第734号, art. 6; Latin letters are not allowed), so no real firm can
carry the marker: the names are verifiably fictional even when the brand happens to be real.
"""

from __future__ import annotations

import numpy as np

#: Marker that a registered Chinese enterprise name cannot contain (Latin letters).
DEMO_MARKER = "（DEMO）"

#: Characters common in 字号; brands are drawn from these (2 or 3 of them).
BRAND_CHARS = (
    "恒瑞鑫华泰昌盛达宏源博远晟创嘉信德利丰隆兴汇凯腾越锐诚和众合捷威安康宇通联奥普力天元金"
    "立正祥瀚海峰润泽辉耀明光坤乾豪骏航逸铭弘卓睿益谦晨阳旭启航佳美雅鼎峻岳嵘钧琪璟玮琨翔"
    "鹏鸿灏澜沣淳湛澄清朗宸宁康泓昊昱晖晟曜煜炜焱森林禾稼穗谷田川江河洋波涛潮瑜琳珂璞玺"
    "蓝青紫银铂钰锦绣红彤嘉茂荣蔚萃英杰俊豪彬斌文武信义仁智勇毅韬略图远志诚笃实朴"
)
#: The same, de-duplicated and in a fixed order (so that a seed means the same brands forever).
BRAND_ALPHABET: tuple[str, ...] = tuple(dict.fromkeys(BRAND_CHARS))

#: Industry words by 大类 (two-digit division); a firm's word is drawn from its division's list.
INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "13": ("食品", "农产品"),
    "14": ("食品", "调味品"),
    "17": ("纺织", "纺织品"),
    "22": ("纸业",),
    "25": ("石化", "能源"),
    "26": ("化工", "精细化工", "新材料", "化学"),
    "27": ("药业", "制药", "生物医药"),
    "28": ("化纤", "纤维材料"),
    "29": ("橡塑", "塑胶", "橡胶制品"),
    "30": ("陶瓷", "耐火材料", "建材", "玻璃", "新材料"),
    "31": ("特钢", "冶金"),
    "32": ("铝业", "有色金属"),
    "33": ("金属制品", "五金", "精密铸造"),
    "34": ("机械", "泵业", "阀门", "精密机械", "装备"),
    "35": ("装备", "机械设备", "智能装备", "环保设备"),
    "36": ("汽车部件", "汽车零部件"),
    "37": ("轨道装备", "船舶配件"),
    "38": ("电气", "电机", "电器", "新能源"),
    "39": ("电子", "微电子", "光电"),
    "40": ("仪器仪表", "仪表", "检测仪器"),
    "41": ("工艺品",),
    "63": ("通信", "网络"),
    "64": ("网络科技", "互联网科技"),
    "65": ("信息技术", "软件", "数字科技"),
    "73": ("研究院", "科技"),
    "74": ("检测", "技术服务", "工程设计"),
    "75": ("科技", "技术"),
}
FALLBACK_WORDS: tuple[str, ...] = ("科技", "实业")
#: Place prefixes of the demo city (淄博 most, 山东 for firms registered province-wide).
PLACE_PREFIXES: tuple[tuple[str, float], ...] = (("淄博", 0.8), ("山东", 0.2))


def words_for(division: str) -> tuple[str, ...]:
    return INDUSTRY_WORDS.get(division, FALLBACK_WORDS)


def make_names(
    rng: np.random.Generator, divisions: list[str], place: str, taken: set[str]
) -> list[str]:
    """One unique name per firm. `taken` holds every name issued so far in this run; a clash is
    redrawn from the same stream, so the result is still a function of the seed."""
    n = len(divisions)
    alphabet = np.array(BRAND_ALPHABET)
    places = [p for p, _ in PLACE_PREFIXES]
    place_p = np.array([w for _, w in PLACE_PREFIXES])
    prefixes = [place if p == "淄博" else p for p in places]
    brand_len = np.where(rng.random(n) < 0.75, 2, 3)
    chars = rng.integers(0, len(alphabet), size=(n, 3))
    prefix_idx = rng.choice(len(prefixes), size=n, p=place_p / place_p.sum())
    word_pick = rng.random(n)
    two = np.char.add(alphabet[chars[:, 0]], alphabet[chars[:, 1]])
    brands = np.where(brand_len == 2, two, np.char.add(two, alphabet[chars[:, 2]])).tolist()
    names: list[str] = []
    for i in range(n):
        words = words_for(divisions[i])
        word = words[int(word_pick[i] * len(words))]
        prefix = prefixes[prefix_idx[i]]
        name = f"{prefix}{brands[i]}{word}有限公司{DEMO_MARKER}"
        while name in taken:  # rare: redraw a 3-character brand from the same stream
            brand = "".join(alphabet[rng.integers(0, len(alphabet), size=3)].tolist())
            name = f"{prefix}{brand}{word}有限公司{DEMO_MARKER}"
        taken.add(name)
        names.append(name)
    return names
