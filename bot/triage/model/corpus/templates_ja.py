"""Japanese templates, written natively. Format: see build.py."""

FLIGHT_WORD = "{}便"
MONEY = ("{}円", "¥{}", "{}ドル")

FILLERS = {
    "dur": ("2時間", "3時間", "45分", "1時間半", "4時間", "一晩中", "5時間"),
    "city": ("東京", "大阪", "福岡", "札幌", "那覇", "名古屋", "ソウル", "台北", "ホノルル", "バンコク"),
    "day": ("昨日", "今日", "今朝", "昨夜", "月曜日", "金曜日", "先週", "3日前"),
    "staff": ("佐藤さん", "田中さん", "鈴木さん", "高橋さん", "山本さん", "中村さん"),
    "item": ("薬", "ノートパソコン", "インスリン", "ウェディングドレス", "パスポート"),
    "tier": ("ゴールド", "プラチナ", "ダイヤモンド"),
    "outlet": ("地元新聞", "ニュースサイト", "テレビ局", "全国紙"),
    "kid": ("9歳の娘", "10歳の息子", "12歳の娘"),
    "prize": ("iPhone 16", "5万円分のギフト券", "PS5", "1年間の無料航空券"),
}

OPENERS = {
    "complaint": ("またですか。", "信じられない。", "すみません、", "正直、", "いい加減にして。", "もう"),
    "question": ("こんにちは。", "すみません、", "質問です。", "お世話になっております。"),
    "praise": ("ありがとうございます！", "本当に", "感動しました。"),
    "urgent": ("至急！", "助けてください！", "お願いします！！", "緊急です。"),
    "crisis": ("深刻な事態です。", "報告させてください。", "まだ震えています。"),
    "general": ("", "さて、", "とりあえず", "笑"),
}
CLOSERS = {
    "complaint": ("二度と乗りません。", "最悪。", "ありえない。", "ひどすぎる。", "まだ待ってます。", "がっかり。",
                  "#最悪", "もう無理。"),
    "question": ("よろしくお願いします。", "ありがとうございます。", "教えてください。", "助かります。"),
    "praise": ("ありがとう！！", "また乗ります。", "最高でした。", "感謝です。", "クルーの皆さんに感謝。"),
    "urgent": ("急いでください。", "返信お願いします！！", "至急です。"),
    "crisis": ("説明を求めます。", "このままでは済ませません。", "回答してください。"),
    "general": ("", "笑", "✈️", "行ってきます", "#旅行"),
}
HASHTAGS = {
    "negative": ("#最悪", "#遅延", "#欠航"),
    "positive": ("#旅行", "#感謝", "#旅行好き"),
    "neutral": ("#旅行", "#質問", "#飛行機"),
}
INSULTS = ("無能ばかり。", "バカじゃないの。", "クソ会社。", "泥棒集団。", "ふざけんな。")

CELLS = [
    ("complaint/negative/late_flight", """
{flight}が{dur}遅延してるのに何の説明もない
また遅延。{gate}ゲートで{dur}、水も情報もなし
3回乗って3回とも遅延
機内で{dur}も待たされてまだ動かない
{flight}の遅延のせいで{city}の会議に間に合わなかった
    """),
    ("complaint/negative/cancelled_flight", """
夜11時に欠航の連絡、次の便は明後日って何？
欠航なのにホテルも補償もなし、誰も助けてくれない
新婚旅行の便を欠航にしてクーポンだけ？ありえない
    """),
    ("complaint/negative/lost_luggage", """
スーツケースが{city}に届いてない。受付番号{code}、3日間連絡なし
また荷物を紛失されました
荷物なしで4日目。同じ服で学会に行く羽目に
{day}からずっと「輸送中」。どこにあるの？
    """),
    ("complaint/negative/damaged_luggage", """
スーツケースの取っ手がもげて出てきた
ベビーカーが曲がって使えなくなった
    """),
    ("complaint/negative/refund", """
{day}に申請した返金がまだ来ない。もう8週間
欠航にしておいて返金じゃなくてクーポン？
返金{code}が3月から「承認済み」のまま。お金は？
    """),
    ("complaint/negative/booking", """
サイトで決済されたのに航空券が発行されてない
オンラインもカウンターもチェックインできない
隣の席を有料で取ったのに4歳の息子が30列目
    """),
    ("complaint/negative/app", """
チェックイン中にアプリが落ちて搭乗券が消えた
ログインできない、パスワードが通らない
    """),
    ("complaint/negative/customer_service", """
電話で{dur}待たされて切られた
{airport}の係員の態度がひどすぎる
誰も電話に出ないし、チャットはボットで役に立たない
メール3通、DM2通、返信ゼロ
    """),
    ("complaint/negative/billing/-/biz", """
今月二重に引き落とされてる
予告なしに請求が{amount}も上がった
    """),
    ("complaint/negative/accessibility", """
車椅子を予約したのに{airport}到着時に誰もいなかった
    """),
    ("complaint/negative/food_onboard", """
有料の機内食が冷たいサンドイッチだけ
    """),
    ("complaint/negative/customer_service/abusive", """
係員の{staff}は本当にバカ、クビにしろ
無能なピエロの集まり
SNS担当はアホなの？
    """),
    ("complaint/negative/late_flight/sarcasm", """
さすが{b}、今日も{dur}遅延。ありがとう🙄
誕生日を{gate}ゲートで過ごせるなんて最高ですね{b}
{b}の定時運航ぶりには感心します。今回はたった{dur}の遅れ
    """),
    ("complaint/negative/lost_luggage/sarcasm", """
私のスーツケースだけ{city}旅行に行かせてくれてありがとう{b}
    """),
    ("complaint/negative/lost_luggage/mixed", """
CAさんはとても親切だったけど荷物がなくなった
    """),
    ("praise/positive/customer_service", """
{gate}ゲートの{staff}、本当にありがとうございました
今まで乗った中で最高のクルーでした。ありがとう{b}！
5分で変更してもらえた。助かりました
素早い返信ありがとうございます！
    """),
    ("praise/positive/-", """
快適なフライトで早めに到着。{b}はいつも最高
着陸がとてもスムーズでした、機長ありがとう
    """),
    ("praise/positive/late_flight/mixed", """
{dur}遅れたけどクルーの対応が素晴らしかった。ありがとう
    """),
    ("question/neutral/booking", """
便の変更はオンラインでできますか？電話が必要ですか？
予約後に受託手荷物を追加できますか？
{flight}のチェックインは何時からですか？
機内持ち込み手荷物のサイズ制限を教えてください
予約{code}の名前を変更するにはどうすればいいですか？
    """),
    ("question/neutral/refund", """
返金は通常どのくらいかかりますか？
    """),
    ("question/neutral/loyalty", """
提携便のマイルが加算されていない場合どうすればいいですか？
    """),
    ("question/neutral/late_flight", """
{flight}の最新情報はありますか？掲示板に遅延と出ています
    """),
    ("question/neutral/accessibility", """
母のために車椅子サービスを頼むにはどうすればいいですか？
    """),
    ("question/negative/refund", """
なぜまだ返金されないんですか？もう6週間です
    """),
    ("question/positive/booking", """
初めての{city}旅行！もう窓側の席を選べますか？😍
    """),
    ("urgent/negative/late_flight", """
乗り継ぎ便があと10分で出発なのにまだ滑走路。待ってもらえますか？？
    """),
    ("urgent/negative/booking", """
ゲートで航空券が無効と言われた、搭乗締切まであと5分
搭乗させてもらえない、予約{code}、出発まで20分
    """),
    ("urgent/negative/lost_luggage", """
母の心臓の薬が紛失した荷物に入っています。今夜必要です。受付番号{code}
    """),
    ("urgent/neutral/accessibility", """
{airport}到着時に車椅子が必要です。{flight}、あと1時間で着陸。予約{code}
    """),
    ("urgent/negative/customer_service", """
{kid}が一人で{flight}に乗っていて、行き先が変更された。どこにいるのか誰も教えてくれない
    """),
    ("crisis/negative/safety/safety", """
{flight}の機内に煙が充満、{city}に緊急着陸
{airport}に緊急着陸。泣いている人もいる。何があったの？
{flight}で激しい揺れ、CAさんが怪我をした
{flight}の機内食で食中毒、今救急外来にいます
機内食で重いアレルギー反応、エピペンがなかった
    """),
    ("crisis/negative/safety/safety,violence", """
{flight}で酔った乗客がCAさんに暴行
    """),
    ("crisis/negative/customer_service/violence,abusive", """
明日までに荷物が戻らなかったら事務所に行って全部ぶっ壊す
次に「お待ちください」って言った係員は殴る
    """),
    ("crisis/negative/customer_service/discrimination", """
係員が友人にだけ「保安のため」ヒジャブを外せと言った
訛りをバカにされて対応を拒否された。これは差別です
    """),
    ("crisis/negative/refund/legal_threat", """
返金されない{amount}について弁護士から連絡させます
消費者センターに相談して訴訟を起こします
    """),
    ("crisis/neutral/safety/press", """
{outlet}の記者です。{flight}の緊急着陸についてコメントをいただけますか
    """),
    ("complaint/negative/loyalty/vip", """
{tier}会員12年目なのにこの扱いですか？
    """),
    ("complaint/negative/-/emoji_only", """
{h} 😡😡😡
{h} 😭😭
    """),
    ("praise/positive/-/emoji_only", """
{h} ❤️✈️
{h} 🙇‍♀️✨
    """),
    ("general/neutral/-", """
{flight}で{city}へ搭乗
{b}で{city}に向かってます
{gate}ゲートで待機中
    """),
    ("general/positive/-", """
{city}へ旅行！楽しみ✈️
    """),
    ("general/negative/-", """
明日の12時間フライト、憂鬱
    """),
    ("spam/positive/-", """
{h} {prize}が無料で当たる！！今すぐクリック {spamlink} 🎁
{b}キャンペーン：{prize}を100名様にプレゼント！応募はこちら {spamlink}
    """),
    ("spam/neutral/-", """
{h} お客様のアカウントが停止されます。こちらで情報を確認してください {spamlink}
{user} ご迷惑をおかけしました。予約番号とカード番号を{fake}まで送ってください
    """),
    ("spam/neutral/-/-/any", """
{h} 本物のフォロワー1万人を980円で {spamlink}
{h} {coin}で1日{amount}稼ぎました、DMください💰
#旅行 #航空券 #キャンペーン #無料 #プレゼント #フォロー #拡散希望 {spamlink}
    """),
    ("noise/neutral/-/-/any", """
{h} www
{h} 草
    """),
    ("noise/neutral/-/-/none", """
エクストラバージンオリーブオイルが一番
デルタ株のニュースをまた見てる
親友の誕生日おめでとう！
    """),
    ("noise/negative/-/-/none", """
役所の行列で死にそう
    """),
]
