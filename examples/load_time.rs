fn main() {
    let bytes = std::fs::read(std::env::args().nth(1).unwrap()).unwrap();
    for _ in 0..5 {
        let t = std::time::Instant::now();
        let m = intent_edge::intent::IntentMatcher::from_precompiled(&bytes).unwrap();
        let a = t.elapsed();
        let r = m.best_intent_index("I lost my card yesterday");
        println!("load {:?} first match {:?} {:?}", a, t.elapsed() - a, r);
    }
}
